const { execFileSync } = require('child_process');

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();

const i = process.argv.indexOf('--since');
let since = i > 0 ? process.argv[i + 1] : null;
if (!since) {
  try { since = git('describe', '--tags', '--abbrev=0'); } catch { since = null; }
}
const range = since ? `${since}..HEAD` : 'HEAD';
const lines = git('log', range, '--pretty=%s|%h').split('\n').filter(Boolean);

const groups = { Features: [], Fixes: [], Other: [] };
for (const l of lines) {
  const [subject, hash] = l.split('|');
  const g = /^feat/.test(subject) ? 'Features' : /^fix/.test(subject) ? 'Fixes' : 'Other';
  groups[g].push(`- ${subject.replace(/^\w+(\(.+?\))?!?:\s*/, '')} (${hash})`);
}
console.log(`## Unreleased (since ${since || 'start'})`);
for (const [name, items] of Object.entries(groups)) {
  if (items.length) console.log(`\n### ${name}\n${items.join('\n')}`);
}
