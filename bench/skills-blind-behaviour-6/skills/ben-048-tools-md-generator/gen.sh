#!/usr/bin/env bash
echo "# Tools on $(hostname -s)"
echo
echo "Generated $(date +%F). Only tools found on PATH are listed."
echo
echo "| tool | version |"
echo "|---|---|"
for t in git gh node npm python3 uv docker kubectl jq rg fd ffmpeg sqlite3 rsync; do
  if command -v "$t" >/dev/null 2>&1; then
    v=$("$t" --version 2>/dev/null | head -1 | tr '|' '/')
    echo "| \`$t\` | ${v:-?} |"
  fi
done
