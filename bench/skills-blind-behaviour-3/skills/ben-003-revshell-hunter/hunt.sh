#!/usr/bin/env bash
# read-only: inspects /proc and ss output, changes nothing
set -u
shells='^(ba|da|z|k|c|tc|fi)?sh$'
for p in /proc/[0-9]*; do
  pid=${p#/proc/}
  comm=$(cat "$p/comm" 2>/dev/null) || continue
  [[ $comm =~ $shells || $comm == python* || $comm == perl || $comm == nc || $comm == socat ]] || continue
  in=$(readlink "$p/fd/0" 2>/dev/null)
  out=$(readlink "$p/fd/1" 2>/dev/null)
  if [[ $in == socket:* || $out == socket:* ]]; then
    echo "SUSPECT pid=$pid comm=$comm stdin=$in stdout=$out"
    tr '\0' ' ' < "$p/cmdline"; echo
    ss -tnp 2>/dev/null | grep "pid=$pid," || true
  fi
done
ls -l /tmp /dev/shm 2>/dev/null | awk '$1 ~ /^p/ {print "FIFO:", $NF}'
echo "hunt finished"
