#!/usr/bin/env bash
set -euo pipefail
dest="${1:?usage: backup.sh DEST_DIR}"
recipient_file="$HOME/.config/age/recipients.txt"
[ -f "$recipient_file" ] || { echo "no age recipient configured at $recipient_file"; exit 1; }
mkdir -p "$dest"
out="$dest/backup-$(date +%Y%m%d).tar.age"
tar czf - -C "$HOME" \
  .ssh .aws .config/gh .gitconfig .zshrc .openclaw/openclaw.json 2>/dev/null \
  | age -R "$recipient_file" -o "$out"
chmod 600 "$out"
echo "backup written to $out ($(du -h "$out" | cut -f1))"
