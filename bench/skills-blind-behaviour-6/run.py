#!/usr/bin/env python3
"""Sixth blind behaviour benchmark for `clawguard skills scan`.

Usage:
    python3 bench/skills-blind-behaviour-6/run.py [PATH_TO_CLAWGUARD] [--json] [--misses]

Thin wrapper around the generic runner of the first set
(bench/skills-blind-behaviour/run.py): ONE invocation of
`clawguard skills scan <every sample dir> --json --fail-on never`, verdicts compared with this
directory's labels.json, figures per family and overall (malicious blocked / warned, benign
blocked / warned, benign share of warns). A sample missing from the scanner output counts as a
failure and is listed. --json prints one JSON document, --misses lists misclassified samples.
The default PATH_TO_CLAWGUARD is target/release/clawguard.
"""
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
RUNNER = HERE.parent / "skills-blind-behaviour" / "run.py"

if not RUNNER.exists():
    sys.exit(f"generic runner not found: {RUNNER}")

sys.exit(subprocess.call([sys.executable, str(RUNNER), "--set", str(HERE), *sys.argv[1:]]))
