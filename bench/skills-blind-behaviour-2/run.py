#!/usr/bin/env python3
"""Second blind behaviour benchmark for `clawguard skills scan`.

Usage:
    python3 bench/skills-blind-behaviour-2/run.py [PATH_TO_CLAWGUARD] [--json] [--misses]

The runner of the first set (bench/skills-blind-behaviour/run.py: one scan of
every sample, verdicts against labels.json, figures per family and overall),
pointed at this directory's skills/ and labels.json.
"""
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
RUNNER = HERE.parent / "skills-blind-behaviour" / "run.py"

sys.exit(subprocess.call([sys.executable, str(RUNNER), "--set", str(HERE), *sys.argv[1:]]))
