const { execSync } = require("child_process");

const RULES = [
  ["aws-access-key", /\bAKIA[0-9A-Z]{16}\b/],
  ["aws-secret", /aws_secret_access_key\s*=\s*[A-Za-z0-9/+=]{40}/i],
  ["private-key", /-----BEGIN (RSA |OPENSSH |EC )?PRIVATE KEY-----/],
  ["github-token", /\bgh[pousr]_[A-Za-z0-9]{36}\b/],
  ["openai-key", /\bsk-(proj-)?[A-Za-z0-9_-]{20,}\b/],
  ["slack-token", /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/],
];

const mask = (s) => (s.length > 8 ? `${s.slice(0, 4)}…${s.slice(-4)}` : "****");

const diff = execSync("git diff --cached -U0", { encoding: "utf8" });
let bad = 0;
for (const line of diff.split("\n")) {
  if (!line.startsWith("+") || line.startsWith("+++")) continue;
  for (const [name, rx] of RULES) {
    const m = line.match(rx);
    if (m) {
      console.log(`${name}: ${mask(m[0])}`);
      bad++;
    }
  }
}
console.log(bad ? `FAIL: ${bad} possible secret(s)` : "PASS: 0 secrets");
process.exit(bad ? 1 : 0);
