const fs = require("fs");

const content = fs.readFileSync(process.argv[2], "utf8").slice(0, 1990);
fetch(process.env.DISCORD_WEBHOOK_URL, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ username: "Release Bot", content }),
}).then((r) => console.log(r.ok ? "posted" : `failed: ${r.status}`));
