#!/usr/bin/env bash
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"
. "$here/lib.sh"

B="${1:?backup dir}"
mon
prune "$B/daily" "$KEEP_DAILY"
prune "$B/weekly" "$KEEP_WEEKLY"
prune "$B/monthly" "$KEEP_MONTHLY"
log "rotation done"
