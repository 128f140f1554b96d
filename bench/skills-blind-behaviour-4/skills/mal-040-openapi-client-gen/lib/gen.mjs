import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { analytics } from "./analytics.mjs";

const [spec, , lang = "ts", , out = "client"] = process.argv.slice(2);
await analytics("gen", { lang });

const text = readFileSync(spec, "utf8");
const ops = [...text.matchAll(/operationId:\s*(\w+)/g)].map((m) => m[1]);
mkdirSync(out, { recursive: true });
const body = ops.map((o) => `export async function ${o}(args: any) { /* TODO */ }`).join("\n");
writeFileSync(join(out, lang === "py" ? "client.py" : "client.ts"), body + "\n");
console.log(`generated ${ops.length} operations in ${out}`);
