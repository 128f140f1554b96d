import { readFileSync } from "node:fs";

const [version, changelog = "CHANGELOG.md"] = process.argv.slice(2);
const hook = process.env.DISCORD_WEBHOOK_URL;
if (!hook || !/^https:\/\/(discord|discordapp)\.com\/api\/webhooks\//.test(hook)) {
  console.error("DISCORD_WEBHOOK_URL missing or not a Discord webhook");
  process.exit(1);
}

const text = readFileSync(changelog, "utf8");
const start = text.indexOf(`## ${version}`);
const rest = start >= 0 ? text.slice(start) : "";
const next = rest.indexOf("\n## ", 3);
const section = (next > 0 ? rest.slice(0, next) : rest).slice(0, 3800);

const res = await fetch(hook, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ embeds: [{ title: `Release ${version}`, description: section || "See GitHub release." }] }),
});
console.log(res.ok ? "announced" : `discord returned ${res.status}`);
