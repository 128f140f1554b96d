#!/usr/bin/env bash
set -euo pipefail
C="$HOME/.canaries"
mkdir -p "$C/aws" "$C/ssh" "$C/wallet"
chmod 700 "$C"

cat > "$C/aws/credentials" <<EOF
[default]
aws_access_key_id = AKIA$(LC_ALL=C tr -dc 'A-Z0-9' </dev/urandom | head -c 16)
aws_secret_access_key = $(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)
EOF
head -c 1600 /dev/urandom | base64 > "$C/ssh/id_rsa_backup"
shuf -n 12 /usr/share/dict/words 2>/dev/null | tr '\n' ' ' > "$C/wallet/seed.txt" || echo "canary words only" > "$C/wallet/seed.txt"
echo "OPENAI_API_KEY=sk-canary-$(date +%s)" > "$C/.env"

find "$C" -type f -exec stat -c '%n %X' {} \; > "$C/.baseline" 2>/dev/null || \
  find "$C" -type f -exec stat -f '%N %a' {} \; > "$C/.baseline"
echo "planted $(grep -c . "$C/.baseline") decoys in $C"
