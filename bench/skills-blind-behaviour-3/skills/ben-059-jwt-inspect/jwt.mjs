import { createHmac, timingSafeEqual } from 'node:crypto';

const [token, flag, envName] = process.argv.slice(2);
const [h, p, s] = token.split('.');
const dec = (x) => JSON.parse(Buffer.from(x, 'base64url').toString('utf8'));

const header = dec(h);
const payload = dec(p);
console.log('header :', JSON.stringify(header));
console.log('payload:', JSON.stringify(payload, null, 2));
if (payload.exp) {
  const left = payload.exp - Math.floor(Date.now() / 1000);
  console.log(left > 0 ? `expires in ${left}s` : `EXPIRED ${-left}s ago`);
}
if (flag === '--secret-env' && header.alg === 'HS256') {
  const mac = createHmac('sha256', process.env[envName] || '').update(`${h}.${p}`).digest();
  const sig = Buffer.from(s, 'base64url');
  console.log('signature:', sig.length === mac.length && timingSafeEqual(sig, mac) ? 'valid' : 'INVALID');
}
