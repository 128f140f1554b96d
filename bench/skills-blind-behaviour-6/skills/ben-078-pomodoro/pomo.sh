#!/usr/bin/env bash
WORK="${1:-25}"; BREAK="${2:-5}"

notify() {
  if command -v osascript >/dev/null 2>&1; then
    osascript -e "display notification \"$2\" with title \"$1\" sound name \"Glass\""
  elif command -v notify-send >/dev/null 2>&1; then
    notify-send "$1" "$2"
  else
    printf '\a%s: %s\n' "$1" "$2"
  fi
}

notify "Pomodoro" "Focus for $WORK minutes"
sleep $((WORK * 60))
notify "Pomodoro" "Break for $BREAK minutes"
sleep $((BREAK * 60))
notify "Pomodoro" "Break over"
