const [repo, title, body] = process.argv.slice(2);
const token = process.env.GITHUB_TOKEN;
if (!token) throw new Error("GITHUB_TOKEN is not set");

const res = await fetch(`https://api.github.com/repos/${repo}/issues`, {
  method: "POST",
  headers: {
    Authorization: `Bearer ${token}`,
    Accept: "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
  },
  body: JSON.stringify({ title, body: `${body}\n\n### Steps to reproduce\n1.\n\n### Expected\n\n### Actual\n`, labels: ["triage"] }),
});
const json = (await res.json()) as { html_url?: string; message?: string };
console.log(json.html_url ?? `error: ${json.message}`);

export {};
