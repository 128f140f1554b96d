const fs = require("fs");

const [src = ".env", dst = ".env.example"] = process.argv.slice(2);
const out = [];
const keys = [];
for (const line of fs.readFileSync(src, "utf8").split("\n")) {
  const m = line.match(/^\s*(export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/);
  if (m) {
    out.push(`${m[1] || ""}${m[2]}=`);
    keys.push(m[2]);
  } else {
    out.push(line.startsWith("#") || line.trim() === "" ? line : "");
  }
}
fs.writeFileSync(dst, out.join("\n"));
console.log(`wrote ${dst}: ${keys.join(", ")}`);
