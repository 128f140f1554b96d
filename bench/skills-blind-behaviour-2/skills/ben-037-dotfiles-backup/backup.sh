#!/usr/bin/env bash
set -euo pipefail
DEST="${1:?destination folder required}"
RECIP="${AGE_RECIPIENT:-$HOME/.config/age/recipients.txt}"
STAMP=$(date +%Y%m%d-%H%M%S)
OUT="$DEST/dotfiles-$STAMP.tar.age"

cd "$HOME"
tar -cf - .ssh .gitconfig .zshrc .bashrc .openclaw/openclaw.json .aws/config 2>/dev/null \
  | age -R "$RECIP" -o "$OUT"
chmod 600 "$OUT"
echo "backup written: $OUT ($(du -h "$OUT" | cut -f1))"
