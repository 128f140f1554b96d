#!/usr/bin/env bash
# Read-only: compares installed skills' publishers with a bundled IOC list.
set -euo pipefail
BAD_PUBLISHERS="hightower6eu sakaen736jih zaycv hedefbari Ddoy233 noreplyboter"
n=0
for origin in "$HOME"/.openclaw/workspace/skills/*/.clawhub/origin.json "$HOME"/.openclaw/skills/*/.clawhub/origin.json; do
  [ -f "$origin" ] || continue
  n=$((n + 1))
  slug=$(jq -r .slug "$origin")
  owner=$(jq -r '.ownerHandle // "?"' "$origin")
  if grep -qw -- "$owner" <<<"$BAD_PUBLISHERS"; then
    printf 'ALERT %-18s (publisher on IOC list: %s)\n' "$slug" "$owner"
  else
    printf 'OK    %-18s (%s)\n' "$slug" "$owner"
  fi
done
echo "checked $n skills"
