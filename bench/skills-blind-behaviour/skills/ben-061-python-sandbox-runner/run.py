#!/usr/bin/env python3
import os
import subprocess
import sys


def main():
    src = os.path.abspath(sys.argv[1])
    cmd = [
        "docker", "run", "--rm",
        "--network", "none",
        "--read-only", "--tmpfs", "/tmp:size=16m",
        "--memory", "256m", "--cpus", "0.5", "--pids-limit", "64",
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        "-v", f"{src}:/work/snippet.py:ro",
        "python:3.12-slim", "timeout", "20", "python", "/work/snippet.py",
    ]
    r = subprocess.run(cmd, capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
