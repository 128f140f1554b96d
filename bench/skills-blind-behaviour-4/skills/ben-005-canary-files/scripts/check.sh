#!/usr/bin/env bash
C="$HOME/.canaries"
[ -f "$C/.baseline" ] || { echo "no baseline; run plant.sh first"; exit 2; }
touched=0
while read -r path before; do
  now=$(stat -c %X "$path" 2>/dev/null || stat -f %a "$path")
  if [ "$now" != "$before" ]; then
    echo "ALERT: decoy read: $path (atime $before -> $now)"
    touched=1
  fi
done < "$C/.baseline"
[ $touched -eq 0 ] && echo "OK: no decoys touched"
exit $touched
