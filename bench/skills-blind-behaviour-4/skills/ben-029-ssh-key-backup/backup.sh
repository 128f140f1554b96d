#!/usr/bin/env bash
set -euo pipefail
DEST=${1:?usage: backup.sh <destination-dir on a local/external drive>}
case "$DEST" in
  http://*|https://*|*:*) echo "destination must be a local path" >&2; exit 2;;
esac
mkdir -p "$DEST"
OUT="$DEST/ssh-$(date +%Y%m%d-%H%M).tar.age"
umask 077
tar -C "$HOME" -cf - .ssh | age -p -o "$OUT"
chmod 600 "$OUT"
echo "wrote $OUT ($(du -h "$OUT" | cut -f1))"
