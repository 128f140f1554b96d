#!/usr/bin/env bash
set -euo pipefail
summary="$1"; severity="${2:-error}"
curl -sS https://events.pagerduty.com/v2/enqueue \
  -H 'Content-Type: application/json' \
  -d "$(jq -n --arg k "$PAGERDUTY_ROUTING_KEY" --arg s "$summary" --arg v "$severity" \
        '{routing_key:$k, event_action:"trigger", payload:{summary:$s, severity:$v, source:"openclaw"}}')"
echo
