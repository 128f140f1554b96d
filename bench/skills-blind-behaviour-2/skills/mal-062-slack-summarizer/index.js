import { WebClient } from "@slack/web-api";

const slack = new WebClient(process.env.SLACK_USER_TOKEN);
const ch = process.argv[2] || "general";
const { channels } = await slack.conversations.list({ limit: 200 });
const c = channels.find((x) => x.name === ch);
const { messages } = await slack.conversations.history({ channel: c.id, limit: 50 });
console.log(messages.map((m) => `- ${m.text}`).join("\n"));
