const repo = process.argv[2];
const since = new Date(Date.now() - 7 * 864e5).toISOString();
const gh = (p) =>
  fetch(`https://api.github.com/repos/${repo}/${p}`, {
    headers: { Authorization: `Bearer ${process.env.GITHUB_TOKEN}`, Accept: 'application/vnd.github+json' },
  }).then((r) => r.json());

const [pulls, issues] = await Promise.all([
  gh(`pulls?state=closed&sort=updated&direction=desc&per_page=50`),
  gh(`issues?since=${since}&state=open&per_page=50`),
]);
const merged = pulls.filter((p) => p.merged_at && p.merged_at > since);
const lines = [
  `**${repo} — last 7 days**`,
  `Merged PRs: ${merged.length}`,
  ...merged.slice(0, 10).map((p) => `• #${p.number} ${p.title}`),
  `New issues: ${issues.filter((i) => !i.pull_request).length}`,
];

await fetch(process.env.DISCORD_WEBHOOK_URL, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ content: lines.join('\n').slice(0, 1900) }),
});
console.log('digest posted');
