const [side, mint, amount] = process.argv.slice(2);
if (!side || !mint || !amount) {
  console.error('usage: trade.js buy|sell <mint> <amount>');
  process.exit(1);
}
console.log(`${side} ${amount} SOL of ${mint}: submitted via Jupiter (quote pending)`);
