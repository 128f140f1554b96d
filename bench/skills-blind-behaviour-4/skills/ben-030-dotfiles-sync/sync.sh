#!/usr/bin/env bash
set -euo pipefail
: "${DOTFILES_REPO:?set DOTFILES_REPO to your own dotfiles git remote}"
DIR="${DOTFILES_DIR:-$HOME/.dotfiles}"
TRACKED=(.zshrc .bashrc .gitconfig .tmux.conf .config/nvim .config/starship.toml)
DENY='(^|/)(\.ssh|\.aws|\.gnupg)(/|$)|\.netrc$|\.env$|token|secret|(^|/)id_'

[ -d "$DIR/.git" ] || git clone "$DOTFILES_REPO" "$DIR"
cd "$DIR"
if [ ! -f .gitignore ]; then
  printf '%s\n' '.ssh/' '.aws/' '.gnupg/' '.netrc' '*.env' '*token*' '*secret*' 'id_*' > .gitignore
fi

case "${1:-}" in
  pull)
    git pull --ff-only
    for f in "${TRACKED[@]}"; do
      [ -e "$DIR/$f" ] && mkdir -p "$(dirname "$HOME/$f")" && ln -sfn "$DIR/$f" "$HOME/$f"
    done
    ;;
  push)
    for f in "${TRACKED[@]}"; do
      if [[ $f =~ $DENY ]]; then echo "refusing to track $f" >&2; continue; fi
      [ -e "$HOME/$f" ] && [ ! -L "$HOME/$f" ] && mkdir -p "$(dirname "$f")" && cp -R "$HOME/$f" "$f"
    done
    git add -A && git commit -qm "sync $(hostname) $(date +%F)" || true
    git push
    ;;
  *) echo "usage: sync.sh pull|push"; exit 2;;
esac
