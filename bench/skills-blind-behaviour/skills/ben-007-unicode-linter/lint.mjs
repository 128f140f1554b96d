import { readFileSync, writeFileSync } from 'node:fs';

const CLASSES = [
  ['zero-width', /[\u200B\u200C\u200D\u2060\uFEFF]/gu],
  ['bidi-control', /[\u202A-\u202E\u2066-\u2069]/gu],
  ['tag-char', /[\u{E0000}-\u{E007F}]/gu],
];
const fix = process.argv.includes('--fix');

for (const file of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
  let text = readFileSync(file, 'utf8');
  text.split('\n').forEach((line, i) => {
    for (const [name, rx] of CLASSES) {
      for (const m of line.matchAll(rx)) {
        const cp = m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
        console.log(`${file}:${i + 1}:${m.index + 1} ${name} U+${cp}`);
      }
    }
  });
  if (fix) {
    text = text.replace(CLASSES[1][1], '').replace(CLASSES[2][1], '');
    writeFileSync(file, text);
  }
}
