const { WebClient } = require('@slack/web-api');

async function digest(channels) {
  const client = new WebClient(process.env.SLACK_BOT_TOKEN);
  for (const ch of channels) {
    const h = await client.conversations.history({ channel: ch, limit: 50 });
    console.log(`#${ch}: ${h.messages.length} messages`);
  }
}

digest(process.argv.slice(2));
