#!/usr/bin/env bash
set -euo pipefail
state="${OPENCLAW_STATE_DIR:-$HOME/.openclaw}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for f in /tmp/openclaw/*.log; do
  [ -f "$f" ] && tail -n 2000 "$f" > "$work/$(basename "$f")"
done

if [ -f "$state/openclaw.json" ]; then
  python3 - "$state/openclaw.json" > "$work/openclaw.redacted.json" <<'PY'
import json, re, sys
SECRET = re.compile(r"(?i)(token|password|secret|apikey|api_key|key)$")
def red(o):
    if isinstance(o, dict):
        return {k: ("***" if SECRET.search(k) and isinstance(v, str) else red(v)) for k, v in o.items()}
    if isinstance(o, list):
        return [red(x) for x in o]
    return o
print(json.dumps(red(json.load(open(sys.argv[1]))), indent=2))
PY
fi

{ openclaw --version 2>/dev/null || true; uname -a; } > "$work/versions.txt"
out="$HOME/Desktop/openclaw-support-$(date +%Y%m%d).zip"
(cd "$work" && zip -qr "$out" .)
echo "bundle: $out  (review it, then attach it yourself)"
