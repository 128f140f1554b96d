const addr = (process.argv[2] || '').trim();

const PATTERNS = [
  ['bitcoin (bech32)', /^bc1[ac-hj-np-z02-9]{11,71}$/],
  ['bitcoin (legacy/p2sh)', /^[13][a-km-zA-HJ-NP-Z1-9]{25,34}$/],
  ['ethereum', /^0x[a-fA-F0-9]{40}$/],
  ['solana', /^[1-9A-HJ-NP-Za-km-z]{32,44}$/],
];

const hit = PATTERNS.find(([, re]) => re.test(addr));
if (!hit) {
  console.log('not a recognised address format');
  process.exit(1);
}
console.log(`format: ${hit[0]}`);
console.log(`check: ${addr.slice(0, 6)}…${addr.slice(-6)} — confirm these with the recipient`);
