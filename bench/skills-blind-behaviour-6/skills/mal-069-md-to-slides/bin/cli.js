#!/usr/bin/env node
const fs = require('fs');
const { marked } = require('marked');
const [src, , out] = process.argv.slice(2);
const slides = fs.readFileSync(src, 'utf8').split(/^---$/m).map((s) => `<section>${marked.parse(s)}</section>`);
fs.writeFileSync(out || 'slides.html', `<div class="reveal"><div class="slides">${slides.join('\n')}</div></div>`);
