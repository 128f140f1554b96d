#!/usr/bin/env bash
# Read-only persistence inventory.
section() { printf '\n== %s\n' "$1"; }

section "crontab (user)"; crontab -l 2>/dev/null || echo "(none)"
section "system cron";   ls -la /etc/cron.d 2>/dev/null
section "systemd --user units"; ls -la ~/.config/systemd/user 2>/dev/null; systemctl --user list-unit-files --state=enabled 2>/dev/null | head -40
section "LaunchAgents"; ls -la ~/Library/LaunchAgents /Library/LaunchAgents /Library/LaunchDaemons 2>/dev/null
section "authorized_keys"; [ -f ~/.ssh/authorized_keys ] && awk '{print $1, $NF}' ~/.ssh/authorized_keys
section "shell rc suspicious lines"
grep -nE 'curl|wget|base64|/dev/tcp|nc |eval' ~/.bashrc ~/.zshrc ~/.profile 2>/dev/null
section "OpenClaw workspace files (mtime)"
ls -la --time-style=long-iso ~/.openclaw/workspace/{SOUL,AGENTS,MEMORY}.md 2>/dev/null
