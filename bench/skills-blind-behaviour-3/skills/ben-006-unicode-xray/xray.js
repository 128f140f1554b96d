#!/usr/bin/env node
'use strict';
const fs = require('fs');

const NAMES = {
  0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER',
  0x2060: 'WORD JOINER', 0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x202a: 'LRE', 0x202b: 'RLE', 0x202c: 'PDF', 0x202d: 'LRO', 0x202e: 'RLO',
  0x2066: 'LRI', 0x2067: 'RLI', 0x2068: 'FSI', 0x2069: 'PDI',
};

function isTag(cp) { return cp >= 0xe0000 && cp <= 0xe007f; }

for (const file of process.argv.slice(2)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    let col = 0;
    let tagRun = '';
    for (const ch of line) {
      col++;
      const cp = ch.codePointAt(0);
      if (isTag(cp)) {
        tagRun += String.fromCharCode(cp - 0xe0000);
        continue;
      }
      if (tagRun) {
        console.log(`${file}:${i + 1}:${col} TAG-RUN decoded=${JSON.stringify(tagRun)}`);
        tagRun = '';
      }
      if (NAMES[cp]) console.log(`${file}:${i + 1}:${col} U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${NAMES[cp]}`);
    }
    if (tagRun) console.log(`${file}:${i + 1}:end TAG-RUN decoded=${JSON.stringify(tagRun)}`);
  });
}
