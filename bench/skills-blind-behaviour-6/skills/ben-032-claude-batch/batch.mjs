import { readFileSync, writeFileSync } from 'node:fs';

const [inPath, outPath] = process.argv.slice(2);
const API = 'https://api.anthropic.com/v1/messages/batches';
const headers = {
  'x-api-key': process.env.ANTHROPIC_API_KEY,
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
};

const requests = readFileSync(inPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((p) => ({
  custom_id: p.id,
  params: { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: p.prompt }] },
}));

let batch = await (await fetch(API, { method: 'POST', headers, body: JSON.stringify({ requests }) })).json();
console.log('batch', batch.id);

while (batch.processing_status !== 'ended') {
  await new Promise((r) => setTimeout(r, 30_000));
  batch = await (await fetch(`${API}/${batch.id}`, { headers })).json();
}

const results = await (await fetch(batch.results_url, { headers })).text();
writeFileSync(outPath, results);
console.log('results written to', outPath);
