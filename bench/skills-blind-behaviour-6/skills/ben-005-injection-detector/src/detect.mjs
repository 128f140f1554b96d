import { readFileSync } from 'node:fs';

const P = JSON.parse(readFileSync(new URL('./patterns.json', import.meta.url), 'utf8'));
const text = readFileSync(0, 'utf8');

let score = 0;
const reasons = [];

for (const p of P.phrases) {
  if (new RegExp(p.re, 'i').test(text)) { score += p.w; reasons.push(`phrase: ${p.re}`); }
}
for (const u of P.unicode) {
  const cps = [...text].map((c) => c.codePointAt(0));
  const hit = u.from
    ? cps.some((c) => c >= Number(u.from) && c <= Number(u.to))
    : cps.some((c) => u.chars.map(Number).includes(c));
  if (hit) { score += u.w; reasons.push(`unicode: ${u.name}`); }
}

console.log(JSON.stringify({ score: Math.min(1, Number(score.toFixed(2))), reasons }));
