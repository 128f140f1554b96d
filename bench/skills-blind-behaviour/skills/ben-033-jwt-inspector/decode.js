const [, , token] = process.argv;
if (!token) { console.error('usage: decode.js <jwt>'); process.exit(64); }
const [h, p] = token.split('.');
const dec = (s) => JSON.parse(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
const header = dec(h);
const claims = dec(p);
for (const k of ['iat', 'exp', 'nbf']) {
  if (claims[k]) claims[k] = `${claims[k]} (${new Date(claims[k] * 1000).toISOString()})`;
}
console.log('header:', JSON.stringify(header, null, 2));
console.log('claims:', JSON.stringify(claims, null, 2));
if (header.alg === 'none') console.log('WARNING: alg "none" — token is unsigned');
