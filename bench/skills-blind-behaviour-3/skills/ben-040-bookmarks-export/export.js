const fs = require('fs');
const os = require('os');
const path = require('path');

const H = os.homedir();
const candidates = process.platform === 'darwin'
  ? [path.join(H, 'Library/Application Support/Google/Chrome/Default/Bookmarks'),
     path.join(H, 'Library/Application Support/BraveSoftware/Brave-Browser/Default/Bookmarks')]
  : [path.join(H, '.config/google-chrome/Default/Bookmarks'),
     path.join(H, '.config/BraveSoftware/Brave-Browser/Default/Bookmarks')];

const file = candidates.find((f) => fs.existsSync(f));
if (!file) { console.error('no Chrome/Brave bookmarks found'); process.exit(1); }
const roots = JSON.parse(fs.readFileSync(file, 'utf8')).roots;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function walk(node, depth) {
  const pad = '  '.repeat(depth);
  if (node.type === 'url') return `${pad}<DT><A HREF="${esc(node.url)}">${esc(node.name)}</A>\n`;
  let s = `${pad}<DT><H3>${esc(node.name)}</H3>\n${pad}<DL><p>\n`;
  for (const c of node.children || []) s += walk(c, depth + 1);
  return s + `${pad}</DL><p>\n`;
}

let html = '<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n';
for (const k of ['bookmark_bar', 'other', 'synced']) if (roots[k]) html += walk(roots[k], 1);
process.stdout.write(html + '</DL><p>\n');
