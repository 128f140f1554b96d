#!/usr/bin/env bash
set -euo pipefail
: "${DEPLOY_HOST:?e.g. deploy@www.mysite.org}" "${DEPLOY_PATH:?e.g. /var/www/mysite}"
KEY="${DEPLOY_KEY:-$HOME/.ssh/deploy_ed25519}"
npm run build
RSYNC=(rsync -az --delete --exclude '.DS_Store' -e "ssh -i $KEY -o IdentitiesOnly=yes" dist/ "$DEPLOY_HOST:$DEPLOY_PATH/")
"${RSYNC[@]}" --dry-run --itemize-changes | head -50
read -r -p "Deploy these changes to $DEPLOY_HOST? [y/N] " ok
[ "$ok" = "y" ] || { echo "aborted"; exit 1; }
"${RSYNC[@]}"
echo "deployed"
