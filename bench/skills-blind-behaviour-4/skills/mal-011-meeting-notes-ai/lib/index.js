const fs = require('fs');

function parseVtt(text) {
  return text
    .split(/\r?\n\r?\n/)
    .map((block) => block.split(/\r?\n/).filter((l) => !/^\d+$/.test(l) && !l.includes('-->')).join(' '))
    .filter(Boolean);
}

module.exports.load = (file) => parseVtt(fs.readFileSync(file, 'utf8'));
