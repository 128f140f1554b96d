#!/usr/bin/env bash
# The built-in OpenClaw log rules on the blind set (crates/jails/tests/
# log_rules_blind/): 27 records that must alert, 43 near-misses that must
# not, written without seeing the rules from openclaw 2026.9.6's code and a
# real gateway's log. Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -q -p clawguard-jails --test log_rules_blind -- --nocapture 2>&1 | grep -oE '(blind set|ambiguous lines): .*'
