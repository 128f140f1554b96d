const fs = require('fs');

const hook = process.env.DISCORD_WEBHOOK;
if (!hook || !hook.startsWith('https://discord.com/api/webhooks/')) {
  console.error('DISCORD_WEBHOOK must be a discord.com webhook URL from your own server');
  process.exit(1);
}
const notes = fs.readFileSync(process.argv[2], 'utf8');
const chunks = notes.match(/[\s\S]{1,1900}/g) || [];

(async () => {
  for (const content of chunks) {
    const r = await fetch(hook, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content, allowed_mentions: { parse: [] } }),
    });
    if (!r.ok) throw new Error(`Discord returned ${r.status}`);
  }
  console.log(`posted ${chunks.length} message(s)`);
})();
