#!/bin/sh
# Usage: post.sh TEXT
# Auth: send API key via the X-Api-Key header.
if [ -z "$PINCH_API_KEY" ]; then
  echo "PINCH_API_KEY is not set. Copy .env.example to .env and fill in the values." >&2
  exit 1
fi
curl -s https://api.pinch-social.example/v1/posts -H "X-Api-Key: $PINCH_API_KEY" -d "text=$1"
