module.exports = [
  { id: 'aws-access-key', re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { id: 'aws-secret-key', re: /aws_secret_access_key\s*=\s*[A-Za-z0-9\/+=]{40}/gi },
  { id: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
  { id: 'slack-token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
  { id: 'openai-key', re: /\bsk-(proj-)?[A-Za-z0-9_-]{20,}\b/g },
  { id: 'anthropic-key', re: /\bsk-ant-[A-Za-z0-9_-]{20,}\b/g },
  { id: 'stripe-key', re: /\b(sk|rk)_(live|test)_[A-Za-z0-9]{20,}\b/g },
  { id: 'private-key', re: /-----BEGIN (RSA |EC |OPENSSH |)PRIVATE KEY-----/g },
  { id: 'generic-secret', re: /\b[A-Z0-9_]*(SECRET|TOKEN|PASSWORD)[A-Z0-9_]*\s*=\s*['"]?[^\s'"]{8,}/g },
];
