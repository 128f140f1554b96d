#!/usr/bin/env bash
# clawguard fim vs AIDE on the same tree, same attributes, same hash class,
# warm cache, in one run. Prints a table with wall time, CPU time and peak RSS
# (GNU time -v), and the ratios against the issue's targets.
#
#   bench/fim.sh [TREE]        (default /usr; run as root to read everything)
#
# Environment: CLAWGUARD (binary, default target/release/clawguard, built if
# missing), AIDE_WORKERS (default: number of CPUs), KEEP=1 keeps the temp dir,
# COLD=1 also measures a cold cache (drops the page cache: disturbs anything
# else running on the machine) against the raw read time of the same files.
set -euo pipefail

TREE=${1:-/usr}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CLAWGUARD:-$ROOT/target/release/clawguard}
WORKERS=${AIDE_WORKERS:-$(nproc)}

if [[ ! -x $BIN ]]; then
    (cd "$ROOT" && cargo build --release -p clawguard)
fi
if ! command -v aide >/dev/null; then
    apt-get install -y -qq aide >/dev/null
fi
if [[ ! -x /usr/bin/time ]]; then
    apt-get install -y -qq time >/dev/null
fi

T=$(mktemp -d /tmp/fim-bench.XXXXXX)
if [[ ${KEEP:-0} != 1 ]]; then
    trap 'rm -rf "$T"' EXIT
fi
printf 'version = 1\n' >"$T/clawguard.toml"

# The same attributes on both sides: AIDE's p+ftype+i+l+n+u+g+s+m+c plus one
# hash; no xattrs/ACLs (AIDE's X) on either side.
RULE="p+ftype+i+l+n+u+g+s+m+c+hash"
cat >"$T/aide.conf" <<EOF
database_in=file:$T/aide.db
database_out=file:$T/aide.db.new
gzip_dbout=no
report_url=stdout
num_workers=$WORKERS
Checks = p+ftype+i+l+n+u+g+s+m+c+sha256
$TREE Checks
EOF

# run NAME CMD…: times CMD (exit codes below 8 are reports, not failures).
declare -A WALL CPU RSS
run() {
    local name=$1
    shift
    local rc=0
    /usr/bin/time -v -o "$T/$name.time" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
    if ((rc >= 8 && rc != 14)) && [[ $name != aide* ]]; then
        echo "$name failed (exit $rc):" >&2
        cat "$T/$name.err" >&2
        exit 1
    fi
    local wall user sys
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$T/$name.time")
    user=$(awk -F': ' '/User time/ {print $2}' "$T/$name.time")
    sys=$(awk -F': ' '/System time/ {print $2}' "$T/$name.time")
    WALL[$name]=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }')
    CPU[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$T/$name.time")
}

# cg HASH VERB: sets CMD to the clawguard command line.
cg() {
    CMD=("$BIN" --config "$T/clawguard.toml" --state-dir "$T/state-$1" fim "$2"
        --hash "$1" --rule "$RULE" --signing-key "$T/key-$1" --baseline "$T/$1.cgfim" "$TREE")
}

echo "tree: $TREE ($(find "$TREE" -xdev 2>/dev/null | wc -l) entries, $(du -sh "$TREE" 2>/dev/null | cut -f1)), $(nproc) CPUs, aide $(aide --version 2>&1 | head -1 | awk '{print $2}') with $WORKERS workers"
echo "warming the page cache…"
cg sha256 init
"${CMD[@]}" >/dev/null || true
rm -rf "$T/state-sha256" "$T/key-sha256" "$T/sha256.cgfim"

cg sha256 init && run cg_sha256_init "${CMD[@]}"
cg sha256 check && run cg_sha256_check "${CMD[@]}"
cg blake3 init && run cg_blake3_init "${CMD[@]}"
cg blake3 check && run cg_blake3_check "${CMD[@]}"
run aide_init aide --config "$T/aide.conf" --init
mv "$T/aide.db.new" "$T/aide.db"
run aide_check aide --config "$T/aide.conf" --check

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

printf '\n%-22s %9s %9s %9s\n' "run" "wall s" "cpu s" "RSS MB"
for n in aide_init aide_check cg_sha256_init cg_sha256_check cg_blake3_init cg_blake3_check; do
    printf '%-22s %9s %9s %9s\n' "$n" "${WALL[$n]}" "${CPU[$n]}" "${RSS[$n]}"
done
echo
echo "baseline sizes: aide $(du -h "$T/aide.db" | cut -f1), clawguard sha256 $(du -h "$T/sha256.cgfim" | cut -f1), blake3 $(du -h "$T/blake3.cgfim" | cut -f1)"
echo
echo "targets:"
echo "  aide init / clawguard init (sha256)   $(ratio "${WALL[aide_init]}" "${WALL[cg_sha256_init]}")x   (target >= 10x)"
echo "  aide check / clawguard check (sha256) $(ratio "${WALL[aide_check]}" "${WALL[cg_sha256_check]}")x   (target >= 10x)"
echo "  aide init / clawguard init (blake3)   $(ratio "${WALL[aide_init]}" "${WALL[cg_blake3_init]}")x"
echo "  aide check / clawguard check (blake3) $(ratio "${WALL[aide_check]}" "${WALL[cg_blake3_check]}")x"
echo "  clawguard check / init (blake3)       $(ratio "${WALL[cg_blake3_check]}" "${WALL[cg_blake3_init]}")x   (target <= 1.3x)"
echo "  clawguard check / init (sha256)       $(ratio "${WALL[cg_sha256_check]}" "${WALL[cg_sha256_init]}")x   (target <= 1.3x)"
echo "  clawguard blake3 check wall           ${WALL[cg_blake3_check]} s   (target < 2 s on 2 cores)"
echo "  clawguard peak RSS (check)            ${RSS[cg_blake3_check]} / ${RSS[cg_sha256_check]} MB   (target <= 64 MB)"
if [[ ${COLD:-0} == 1 ]]; then
    sync
    echo 3 >/proc/sys/vm/drop_caches
    run raw_read_cold bash -c "find '$TREE' -xdev -type f -print0 | xargs -0 -r -P 8 -n 64 cat >/dev/null 2>&1 || true"
    sync
    echo 3 >/proc/sys/vm/drop_caches
    cg blake3 check && run cg_blake3_check_cold "${CMD[@]}"
    echo "  cold: raw read (8 readers) ${WALL[raw_read_cold]} s, clawguard blake3 check ${WALL[cg_blake3_check_cold]} s: $(ratio "${WALL[cg_blake3_check_cold]}" "${WALL[raw_read_cold]}")x   (target <= 1.5x)"
fi
echo "check reports (exit codes < 8 mean the tree changed between runs): see $T/*.out with KEEP=1"
