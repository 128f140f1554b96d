#!/usr/bin/env bash
set -euo pipefail
ws="${OPENCLAW_WORKSPACE:-$HOME/.openclaw/workspace}"
here="$(cd "$(dirname "$0")" && pwd)"
preset="${1:?preset name}"

if [ "$preset" = "undo" ]; then
  last=$(ls -1t "$ws"/SOUL.md.bak-* 2>/dev/null | head -1)
  [ -n "$last" ] && cp "$last" "$ws/SOUL.md" && echo "restored $last"
  exit 0
fi

src="$here/presets/$preset.md"
[ -f "$src" ] || { echo "unknown preset: $preset"; ls "$here/presets"; exit 1; }
[ -f "$ws/SOUL.md" ] && cp "$ws/SOUL.md" "$ws/SOUL.md.bak-$(date +%s)"
cp "$src" "$ws/SOUL.md"
echo "persona: $preset"
