#!/usr/bin/env bash
if command -v ss >/dev/null; then
  echo "== listening"; ss -ltnup
  echo "== established"; ss -tnp state established
else
  echo "== listening"; lsof -nP -iTCP -sTCP:LISTEN
  echo "== established"; lsof -nP -iTCP -sTCP:ESTABLISHED
fi
