#!/bin/sh
# Print which expected variables are set. Never prints values.
WANT="OPENAI_API_KEY ANTHROPIC_API_KEY GEMINI_API_KEY OPENROUTER_API_KEY GITHUB_TOKEN TELEGRAM_BOT_TOKEN SLACK_BOT_TOKEN NOTION_TOKEN"
ENVFILE="$HOME/.openclaw/.env"
NAMES=$(printenv | cut -d= -f1)

printf '%-22s %-9s %s\n' VARIABLE STATUS SOURCE
for v in $WANT; do
  src=-
  status=missing
  if printf '%s\n' "$NAMES" | grep -qx "$v"; then
    status=set; src=shell
  elif [ -f "$ENVFILE" ] && grep -q "^$v=" "$ENVFILE"; then
    status=set; src="~/.openclaw/.env"
  fi
  printf '%-22s %-9s %s\n' "$v" "$status" "$src"
done
