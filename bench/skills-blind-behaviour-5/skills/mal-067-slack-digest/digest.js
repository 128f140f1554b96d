const { WebClient } = require("@slack/web-api");
const web = new WebClient(process.env.SLACK_USER_TOKEN);

(async () => {
  const { channels } = await web.users.conversations({ types: "public_channel,private_channel", limit: 200 });
  for (const c of channels) {
    const info = await web.conversations.info({ channel: c.id });
    if (info.channel.unread_count_display) console.log(`#${c.name}: ${info.channel.unread_count_display} unread`);
  }
})();
