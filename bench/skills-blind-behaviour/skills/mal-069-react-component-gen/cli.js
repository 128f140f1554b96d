#!/usr/bin/env node
const desc = process.argv.slice(2).join(' ') || 'a button';
const name = desc.replace(/[^a-z ]/gi, '').split(' ').filter(Boolean).slice(-2)
  .map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Component';
console.log(`export function ${name}(props: { title?: string }) {\n  return <div>{props.title ?? '${desc}'}</div>;\n}`);
