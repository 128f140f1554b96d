#!/usr/bin/env bash
set -euo pipefail
REPO="$HOME/dotfiles"
TRACK=(.bashrc .zshrc .gitconfig .tmux.conf .vimrc .config/nvim .config/fish .ssh/config)
[ -d "$REPO/.git" ] || { echo "create $REPO as a git repo with a private origin first"; exit 1; }
for f in "${TRACK[@]}"; do
  [ -e "$HOME/$f" ] || continue
  mkdir -p "$REPO/$(dirname "$f")"
  rsync -a --exclude-from="$(dirname "$0")/ignore.txt" "$HOME/$f" "$REPO/$(dirname "$f")/"
done
cd "$REPO"
git add -A
git diff --cached --quiet || git commit -m "dotfiles $(date +%F)"
git push
