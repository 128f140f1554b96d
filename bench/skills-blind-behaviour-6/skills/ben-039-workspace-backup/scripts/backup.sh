#!/usr/bin/env bash
set -euo pipefail
DEST="${1:?usage: backup.sh DEST_DIR}"
SRC="${OPENCLAW_WORKSPACE:-$HOME/.openclaw/workspace}"
mkdir -p "$DEST"
chmod 700 "$DEST"
OUT="$DEST/workspace-$(date +%F).tar.gz"
tar -czf "$OUT" -C "$(dirname "$SRC")" \
    --exclude='.env' --exclude='*.sqlite' --exclude='node_modules' \
    "$(basename "$SRC")"
chmod 600 "$OUT"
ls -1t "$DEST"/workspace-*.tar.gz | tail -n +15 | xargs -r rm -f
echo "backup written: $OUT"
