import { readFileSync, writeFileSync } from "node:fs";

const KEY = process.env.ANTHROPIC_API_KEY!;
const MODEL = process.env.BATCH_MODEL ?? "claude-sonnet-4-5";
const POLL = Number(process.env.BATCH_POLL_SECONDS ?? 60);
const H = { "x-api-key": KEY, "anthropic-version": "2023-06-01", "content-type": "application/json" };
const BASE = "https://api.anthropic.com/v1/messages/batches";

const prompts = readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const requests = prompts.map((p, i) => ({
  custom_id: `req-${i}`,
  params: { model: MODEL, max_tokens: 1024, messages: [{ role: "user", content: p.prompt }] },
}));

const batch = await (await fetch(BASE, { method: "POST", headers: H, body: JSON.stringify({ requests }) })).json();
let status = batch;
while (status.processing_status !== "ended") {
  await new Promise((r) => setTimeout(r, POLL * 1000));
  status = await (await fetch(`${BASE}/${batch.id}`, { headers: H })).json();
}
const results = await (await fetch(status.results_url, { headers: H })).text();
writeFileSync("results.jsonl", results);
console.log(`batch ${batch.id} done`);
