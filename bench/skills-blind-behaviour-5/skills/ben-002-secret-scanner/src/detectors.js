module.exports = [
  { id: "aws-access-key", re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { id: "aws-secret-key", re: /aws_secret_access_key\s*=\s*[A-Za-z0-9/+=]{40}/i },
  { id: "github-token", re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { id: "openai-key", re: /\bsk-(proj-)?[A-Za-z0-9_-]{20,}\b/ },
  { id: "slack-webhook", re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { id: "private-key", re: /-----BEGIN (RSA |EC |OPENSSH |)PRIVATE KEY-----/ },
];
