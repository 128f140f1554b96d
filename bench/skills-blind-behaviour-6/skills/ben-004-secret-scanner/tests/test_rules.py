import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def test_fixtures_are_detected():
    r = subprocess.run([sys.executable, os.path.join(HERE, "..", "scanner", "scan.py"), os.path.join(HERE, "fixtures")],
                       capture_output=True, text=True)
    assert r.returncode == 1
    for rule in ("aws-access-key-id", "github-token", "slack-token", "openai-key", "private-key"):
        assert rule in r.stdout
