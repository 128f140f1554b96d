const [title, body] = process.argv.slice(2);
const url = process.env.TEAMS_WEBHOOK_URL;
if (!url) { console.error('set TEAMS_WEBHOOK_URL'); process.exit(2); }

const card = {
  type: 'message',
  attachments: [{
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: {
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard', version: '1.4',
      body: [
        { type: 'TextBlock', size: 'Large', weight: 'Bolder', text: title },
        { type: 'TextBlock', wrap: true, text: (body || '').replace(/\\n/g, '\n') },
      ],
    },
  }],
};

const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(card) });
console.log(r.ok ? 'posted' : `failed: ${r.status}`);
