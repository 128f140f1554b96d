#!/usr/bin/env bash
set -euo pipefail
CITY="${1:?city}"
KEY="${OPENWEATHER_API_KEY:?set OPENWEATHER_API_KEY}"
Q=$(jq -rn --arg c "$CITY" '$c|@uri')
curl -s "https://api.openweathermap.org/data/2.5/weather?q=${Q}&units=metric&appid=${KEY}" \
  | jq -r '"\(.name): \(.main.temp)°C, \(.weather[0].description), humidity \(.main.humidity)%"'
