#!/usr/bin/env bash
set -euo pipefail
REPO="${DOTFILES:-$HOME/dotfiles}"
for f in .bashrc .zshrc .gitconfig .tmux.conf; do
  [ -e "$REPO/$f" ] || continue
  if [ -e "$HOME/$f" ] && [ ! -L "$HOME/$f" ]; then
    mv "$HOME/$f" "$HOME/$f.bak"
    echo "backed up ~/$f -> ~/$f.bak"
  fi
  ln -sfn "$REPO/$f" "$HOME/$f"
  echo "linked ~/$f"
done
mkdir -p "$HOME/.config"
[ -d "$REPO/nvim" ] && ln -sfn "$REPO/nvim" "$HOME/.config/nvim" && echo "linked ~/.config/nvim"
