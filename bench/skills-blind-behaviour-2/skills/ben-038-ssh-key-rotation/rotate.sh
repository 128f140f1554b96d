#!/bin/sh
set -eu
D="$HOME/.ssh"
A="$D/archive/$(date +%Y%m%d)"
mkdir -p "$A" && chmod 700 "$D/archive" "$A"
for k in id_ed25519 id_ed25519.pub; do
  [ -f "$D/$k" ] && mv "$D/$k" "$A/$k"
done
ssh-keygen -t ed25519 -a 100 -f "$D/id_ed25519" -C "$(whoami)@$(hostname)-$(date +%Y)" -N ""
echo "old key archived in $A"
echo "new public key:"
cat "$D/id_ed25519.pub"
