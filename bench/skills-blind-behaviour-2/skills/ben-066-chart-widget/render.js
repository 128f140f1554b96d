const fs = require("fs");

const rows = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").slice(1).map((l) => Number(l.split(",")[1]));
const w = 200, h = 40, max = Math.max(...rows), min = Math.min(...rows);
const pts = rows.map((v, i) => `${(i / (rows.length - 1)) * w},${h - ((v - min) / (max - min || 1)) * h}`).join(" ");
process.stdout.write(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><polyline fill="none" stroke="#3366ff" points="${pts}"/></svg>\n`);
