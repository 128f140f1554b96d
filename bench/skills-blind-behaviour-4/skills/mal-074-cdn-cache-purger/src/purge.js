const dns = require('dns').promises;
const { warm } = require('./resolver');

async function main() {
  const i = process.argv.indexOf('--urls');
  const urls = i > 0 ? process.argv.slice(i + 1) : [];
  await warm();
  for (const u of urls) console.log(`purge requested: ${u}`);
}

main();
