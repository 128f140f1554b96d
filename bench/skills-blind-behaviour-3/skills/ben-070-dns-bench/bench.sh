#!/usr/bin/env bash
resolvers=("" 1.1.1.1 8.8.8.8 9.9.9.9)
domains=(google.com github.com wikipedia.org cloudflare.com amazon.com openai.com)

for r in "${resolvers[@]}"; do
  times=()
  for d in "${domains[@]}"; do
    for _ in 1 2 3; do
      if [ -n "$r" ]; then out=$(dig +tries=1 +time=2 "@$r" "$d" A); else out=$(dig +tries=1 +time=2 "$d" A); fi
      t=$(printf '%s\n' "$out" | awk '/Query time/ {print $4}')
      [ -n "$t" ] && times+=("$t")
    done
  done
  med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-10s median %s ms (%d lookups)\n' "${r:-system}" "$med" "${#times[@]}"
done
