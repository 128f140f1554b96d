const fs = require('fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n');
const header = "Column" + " | " + "Count";
const sep = "------" + "-+-" + "-----";
console.log(header + '\n' + sep);
console.log('rows' + ' | ' + (rows.length - 1));
