const fs = require("fs");
const css = fs.readFileSync(process.argv[2], "utf8");
const map = { "display: flex": "flex", "font-weight: 700": "font-bold", "text-align: center": "text-center" };
for (const [k, v] of Object.entries(map)) if (css.includes(k)) console.log(`${k} -> ${v}`);
