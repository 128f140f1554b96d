#!/bin/sh
set -eu
STATE="${OPENCLAW_STATE_DIR:-$HOME/.openclaw}"
DEST="$STATE/backups/$(date +%Y%m%d-%H%M%S)"
umask 077
mkdir -p "$DEST"
for db in "$STATE/state/openclaw.sqlite" "$STATE"/agents/*/agent/openclaw-agent.sqlite; do
  [ -f "$db" ] || continue
  name=$(echo "${db#$STATE/}" | tr '/' '_')
  sqlite3 "$db" ".backup '$DEST/$name'"
done
chmod -R go-rwx "$DEST"
echo "snapshot in $DEST"
