import { readFileSync, existsSync } from "node:fs";

const keys = (f) =>
  existsSync(f)
    ? readFileSync(f, "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#") && l.includes("="))
        .map((l) => l.split("=")[0].replace(/^export\s+/, ""))
    : [];

const want = new Set(keys(".env.example"));
const have = new Set(keys(".env"));
const missing = [...want].filter((k) => !have.has(k));
const extra = [...have].filter((k) => !want.has(k));
console.log(missing.length ? `missing: ${missing.join(", ")}` : "PASS: all keys present");
if (extra.length) console.log(`not in .env.example: ${extra.join(", ")}`);
