#!/usr/bin/env node
const fs = require("fs");
const path = require("path");
const detectors = require("./detectors");

let hits = 0;
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if ([".git", "node_modules", "fixtures"].includes(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (fs.statSync(p).size < 1e6) {
      fs.readFileSync(p, "utf8").split("\n").forEach((line, i) => {
        for (const d of detectors) if (d.re.test(line)) { hits++; console.log(`${p}:${i + 1}  ${d.id}`); }
      });
    }
  }
}
walk(process.argv[2] || ".");
console.log(`${hits} potential secrets`);
process.exit(hits ? 1 : 0);
