#!/usr/bin/env bash
# Event journal: sustained append throughput of the real journal
# (clawguard_journal::start, producer threads on Bus::send, the writer
# committing batches to SQLite WAL with synchronous=FULL in a temp state dir)
# against the designs it replaces, side by side in one run on the same events:
#   - a JSON Lines log file with one fsync per batch (what a hand-written log
#     does; the operator's `tail | grep | curl` loop reads such a file);
#   - SQLite with one transaction per event (the naive durable design);
#   - systemd-cat into journald, when a journald runs here.
# Also: the same run with retention deleting continuously (max_events), and
# the latency of a single event at a low rate (push → committed).
#
# usage: bench/journal.sh [EVENTS]   (default 1000000)
# Environment: RUNS (default 3; each design's best run is its cost, every run
# is printed), PRODUCERS (default 4), RETAIN (default 100000), NAIVE_EVENTS
# (default 5000), LATENCY_EVENTS (default 200), BENCH_DIR (where the temp
# state dirs go, default $TMPDIR or /tmp: put it on the disk you care about),
# JOURNALD_EVENTS (default 100000).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
events=${1:-1000000}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}}

cargo build --release -q -p clawguard-journal --example journal_bench
bin=target/release/examples/journal_bench

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), temp dirs on $(df --output=source,fstype "$dir" | tail -1 | tr -s ' ')"
"$bin" --events "$events" --runs "${RUNS:-3}" --producers "${PRODUCERS:-4}" \
  --retain "${RETAIN:-100000}" --naive-events "${NAIVE_EVENTS:-5000}" \
  --latency-events "${LATENCY_EVENTS:-200}" --dir "$dir"

# journald: only where one runs (a socket and a working systemd-cat); it is
# not started here.
if [[ -S /run/systemd/journal/socket ]] && command -v systemd-cat >/dev/null \
  && echo "clawguard journal bench probe" | systemd-cat -t clawguard-bench 2>/dev/null; then
  n=${JOURNALD_EVENTS:-100000}
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 - "$n" "$work/lines" <<'PY'
import json, sys
n, out = int(sys.argv[1]), open(sys.argv[2], "w")
for i in range(n):
    out.write(json.dumps({"seq": i + 1, "host": "bench-host", "schema": 1, "time_ms": 1765000000000,
                          "kind": "banned", "jail": "sshd", "target": f"203.0.113.{i % 254 + 1}/32",
                          "until_ms": 1765000600000, "failures": 5, "ban_count": 1, "manual": False}) + "\n")
PY
  t0=$(date +%s.%N)
  systemd-cat -t clawguard-bench < "$work/lines"
  # journald writes asynchronously; --sync waits until it is on disk.
  journalctl --sync
  t1=$(date +%s.%N)
  python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); print(f'peer: systemd-cat into journald, {n} lines then journalctl --sync: {n / s:.0f} events/s ({s:.3f} s)')" "$n" "$t0" "$t1"
else
  echo "peer: systemd-cat: skipped, no systemd-journald runs here (no /run/systemd/journal/socket; PID 1 is $(cat /proc/1/comm))"
fi
