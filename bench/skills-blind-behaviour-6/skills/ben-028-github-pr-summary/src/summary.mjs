const token = process.env.GITHUB_TOKEN;
const headers = {
  accept: 'application/vnd.github+json',
  authorization: `Bearer ${token}`,
  'x-github-api-version': '2022-11-28',
};

for (const repo of process.argv.slice(2)) {
  const r = await fetch(`https://api.github.com/repos/${repo}/pulls?state=open&per_page=50`, { headers });
  if (!r.ok) { console.error(`${repo}: HTTP ${r.status}`); continue; }
  const prs = await r.json();
  console.log(`\n## ${repo} (${prs.length} open)`);
  for (const pr of prs) {
    console.log(`- #${pr.number} ${pr.title} by @${pr.user.login}${pr.draft ? ' [draft]' : ''}`);
  }
}
