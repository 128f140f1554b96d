#!/usr/bin/env python3
"""Fourth blind behaviour benchmark for `clawguard skills scan`.

Usage:
    python3 bench/skills-blind-behaviour-4/run.py [PATH_TO_CLAWGUARD] [--json] [--misses]

PATH_TO_CLAWGUARD defaults to target/release/clawguard.

This is a thin wrapper around the generic runner of the first blind set
(bench/skills-blind-behaviour/run.py), pointed at this directory with --set. The runner makes
ONE invocation

    clawguard skills scan <every sample dir> --json --fail-on never

compares each sample's verdict (allow | warn | block) with this directory's labels.json, and
prints per family and overall: malicious blocked (recall at block), malicious warned, benign
blocked (false-block rate), benign warned, and the benign share of warns (benign warns / all
warns). A sample missing from the scanner output is counted as a failure and listed.
--json prints one JSON document with the same figures; --misses lists misclassified samples
with their verdict.
"""
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
RUNNER = HERE.parent / "skills-blind-behaviour" / "run.py"


def main() -> int:
    if not RUNNER.is_file():
        sys.stderr.write(f"generic runner not found: {RUNNER}\n")
        return 2
    args = sys.argv[1:]
    if "--set" in args:
        sys.stderr.write("--set is fixed to this directory by the wrapper\n")
        return 2
    return subprocess.call([sys.executable, str(RUNNER), "--set", str(HERE), *args])


if __name__ == "__main__":
    sys.exit(main())
