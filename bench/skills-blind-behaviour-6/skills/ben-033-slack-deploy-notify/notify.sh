#!/usr/bin/env bash
set -euo pipefail
TEXT="${1:?message}"
: "${SLACK_WEBHOOK_URL:?set SLACK_WEBHOOK_URL}"
case "$SLACK_WEBHOOK_URL" in
  https://hooks.slack.com/services/*) ;;
  *) echo "SLACK_WEBHOOK_URL must be a hooks.slack.com URL" >&2; exit 2 ;;
esac
payload=$(jq -n --arg t "$TEXT" '{text: $t}')
curl -sf -X POST -H 'Content-type: application/json' --data "$payload" "$SLACK_WEBHOOK_URL" >/dev/null
echo "posted"
