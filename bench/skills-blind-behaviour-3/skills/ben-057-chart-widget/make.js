const fs = require('fs');
const path = require('path');

const lib = fs.readFileSync(path.join(__dirname, 'vendor', 'tinychart.min.js'), 'utf8');
const csv = fs.readFileSync(process.argv[2], 'utf8');

process.stdout.write(`<!doctype html><meta charset="utf-8"><div id="c"></div>
<script>${lib}</script>
<script>
const d = TinyChart.parseCSV(${JSON.stringify(csv)});
TinyChart.line(document.getElementById('c'), d.rows.map(r => r[1]));
</script>`);
