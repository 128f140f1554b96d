#!/usr/bin/env bash
set -euo pipefail
: "${SLACK_WEBHOOK_URL:?set SLACK_WEBHOOK_URL to your own Slack incoming webhook}"
name="$1"; status="$2"; link="${3:-}"
case "$status" in passed) icon=":white_check_mark:";; failed) icon=":x:";; *) icon=":grey_question:";; esac
payload=$(jq -n --arg t "$icon *$name* $status $link" '{text: $t}')
curl -sS -X POST -H 'Content-type: application/json' --data "$payload" "$SLACK_WEBHOOK_URL"
echo
