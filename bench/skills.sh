#!/usr/bin/env bash
# Skill auditor: speed and quality, with a peer side by side when one installs.
#
#   bench/skills.sh
#
# 1. In-process throughput on one core (taskset -c 0): typical skills/s (the
#    fixture corpus, read once, analyzed repeatedly) and MB/s on large
#    generated text (Markdown with code blocks, Python, plain prose).
# 2. End to end: `clawguard skills scan` of 1,000 skill directories (copies of
#    the corpus) on one core, process start and directory reads included.
# 3. Quality on the corpus: recall of malicious at block, benign at block/warn.
# 4. Peer: Cisco's `skill-scanner` (PyPI cisco-ai-skill-scanner), static
#    analyzers only (no LLM, no network), same corpus and same 1,000 dirs, if
#    it installs into $PEER_VENV (default /tmp/clawguard-bench-peer). If it does
#    not, the script says so and carries on.
#
# Environment: SKILLS_BENCH_MB (large-text size, default 64), PEER_VENV,
# NO_PEER=1 skips the peer, REAL_SKILLS=DIR also scans a directory of real
# skills (e.g. a ClawHub mirror checked out outside the repository).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CORPUS=crates/skills/tests/corpus
PEER_VENV=${PEER_VENV:-/tmp/clawguard-bench-peer}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q -p clawguard
cargo build --release -q -p clawguard-skills --example skills_bench
BIN=target/release/clawguard
one_core=(taskset -c 0)
command -v taskset >/dev/null || one_core=()

now() { python3 -c 'import time; print(f"{time.time():.6f}")'; }

echo "== in-process throughput (one core)"
"${one_core[@]}" target/release/examples/skills_bench "$CORPUS" | tee "$work/inproc.json"

echo "== end to end: clawguard skills scan, 1,000 skill directories (one core)"
mkdir -p "$work/many"
i=0
while (( i < 1000 )); do
  for d in "$CORPUS"/benign/* "$CORPUS"/malicious/*; do
    (( i < 1000 )) || break
    cp -r "$d" "$work/many/s$i"
    i=$((i + 1))
  done
done
t0=$(now)
"${one_core[@]}" "$BIN" skills scan "$work"/many/* --json --fail-on never > "$work/many.json"
t1=$(now)
python3 - "$t0" "$t1" "$work/many.json" <<'PY'
import json, sys
t0, t1, path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
n = len(json.load(open(path))["skills"])
print(f"clawguard: {n} skills in {t1 - t0:.3f} s = {n / (t1 - t0):.0f} skills/s (target >= 1000)")
PY

echo "== quality on the corpus"
for kind in malicious benign; do
  "$BIN" skills scan "$CORPUS/$kind"/* --json --fail-on never > "$work/$kind.json"
done
python3 - "$work/malicious.json" "$work/benign.json" <<'PY'
import json, sys
mal = json.load(open(sys.argv[1]))["skills"]
ben = json.load(open(sys.argv[2]))["skills"]
recall = 100 * sum(s["verdict"] == "block" for s in mal) / len(mal)
bblock = sum(s["verdict"] == "block" for s in ben)
bwarn = sum(s["verdict"] == "warn" for s in ben)
print(f"clawguard: malicious {len(mal)}: block recall {recall:.1f}% (target >= 95%)")
print(f"clawguard: benign {len(ben)}: block {bblock} (target 0), warn {bwarn} = {100 * bwarn / len(ben):.1f}% (target <= 10%)")
PY

if [[ -n ${REAL_SKILLS:-} ]]; then
  # A directory of real skills: <owner>/<skill>/SKILL.md, as in the
  # openclaw/skills archive of ClawHub. At its commit 3a5f649f the hand
  # labels in bench/skills-real-labels.json apply:
  #   git clone https://github.com/openclaw/skills /tmp/openclaw-skills
  #   git -C /tmp/openclaw-skills checkout 3a5f649f
  #   REAL_SKILLS=/tmp/openclaw-skills/skills bench/skills.sh
  echo "== real skills under $REAL_SKILLS (one core)"
  mapfile -t real < <(find "$REAL_SKILLS" -mindepth 1 -maxdepth 3 -type f \( -name SKILL.md -o -name skill.md \) -printf '%h\n' | sort -u)
  t0=$(now)
  "${one_core[@]}" "$BIN" skills scan "${real[@]}" --json --fail-on never > "$work/real.json" 2>/dev/null || true
  t1=$(now)
  python3 - "$work/real.json" "$t0" "$t1" bench/skills-real-labels.json <<'PY'
import json, sys, collections
d = json.load(open(sys.argv[1]))["skills"]
secs = float(sys.argv[3]) - float(sys.argv[2])
print(f"clawguard: {len(d)} real skills in {secs:.2f} s = {len(d) / secs:.0f} skills/s")
verdict = {"/".join(s["path"].rstrip("/").split("/")[-2:]): s["verdict"] for s in d}
print("clawguard: verdicts", dict(collections.Counter(verdict.values())))
ioc = [s for s in d if any(f["rule"] == "ioc.clawhavoc" for f in s["findings"])]
print(f"clawguard: ClawHavoc-indicator skills at block: {sum(s['verdict'] == 'block' for s in ioc)} / {len(ioc)}")
labels = json.load(open(sys.argv[4]))["labels"]
for name, label in labels.items():
    present = [k for k in label["skills"] if k in verdict]
    if not present:
        continue
    off = [f"{k}={verdict[k]}" for k in present if verdict[k] not in label["ok"]]
    print(f"labels: {name}: {len(present) - len(off)} / {len(present)} as labelled ({'/'.join(label['ok'])})"
          + (f"; off: {', '.join(off)}" if off else ""))
PY
fi

echo "== peer: cisco-ai-skill-scanner (static analyzers only)"
if [[ ${NO_PEER:-0} == 1 ]]; then
  echo "peer skipped (NO_PEER=1)"
  exit 0
fi
if [[ ! -x $PEER_VENV/bin/skill-scanner ]]; then
  python3 -m venv "$PEER_VENV" >/dev/null 2>&1 || true
  if ! "$PEER_VENV/bin/pip" install -q cisco-ai-skill-scanner > "$work/peer-install.log" 2>&1; then
    echo "peer not available: pip install cisco-ai-skill-scanner failed:"
    tail -3 "$work/peer-install.log"
    exit 0
  fi
fi
PEER=$PEER_VENV/bin/skill-scanner
if [[ ! -x $PEER ]]; then
  echo "peer not available: no skill-scanner command after install"
  exit 0
fi
"$PEER" --version 2>/dev/null || true
# scan-all over a directory of skills, JSON, static analyzers only (the
# default without --use-llm / --use-virustotal / --use-aidefense). A skill is
# "block" when its max_severity is HIGH or CRITICAL, "warn" when MEDIUM.
peer_all() {
  local t0 t1
  t0=$(now)
  "${one_core[@]}" "$PEER" scan-all "$1" --format json --compact > "$2" 2>/dev/null || true
  t1=$(now)
  python3 -c "print($t1 - $t0)"
}
mal_s=$(peer_all "$CORPUS/malicious" "$work/peer-malicious.json")
ben_s=$(peer_all "$CORPUS/benign" "$work/peer-benign.json")
python3 - "$work/peer-malicious.json" "$work/peer-benign.json" "$mal_s" "$ben_s" <<'PY'
import json, sys
def skills(path):
    doc = json.load(open(path))
    found = []
    stack = [doc]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if "max_severity" in x and "skill_path" in x:
                found.append(x)
            else:
                stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return found
def verdict(s):
    sev = (s.get("max_severity") or "").upper()
    return "block" if sev in ("HIGH", "CRITICAL") else "warn" if sev == "MEDIUM" else "allow"
mal, ben = skills(sys.argv[1]), skills(sys.argv[2])
secs = float(sys.argv[3]) + float(sys.argv[4])
recall = 100 * sum(verdict(s) == "block" for s in mal) / max(len(mal), 1)
bblock = sum(verdict(s) == "block" for s in ben)
bwarn = sum(verdict(s) == "warn" for s in ben)
print(f"peer: malicious {len(mal)}: block recall {recall:.1f}%")
print(f"peer: benign {len(ben)}: block {bblock}, warn {bwarn} = {100 * bwarn / max(len(ben), 1):.1f}%")
print(f"peer: {len(mal) + len(ben)} skills in {secs:.1f} s = {(len(mal) + len(ben)) / secs:.1f} skills/s (one core, scan-all)")
missed = [s["skill_path"].rsplit("/", 1)[-1] for s in mal if verdict(s) != "block"]
blocked = [s["skill_path"].rsplit("/", 1)[-1] for s in ben if verdict(s) == "block"]
print(f"peer: missed malicious: {missed}")
print(f"peer: benign blocked: {blocked}")
PY
