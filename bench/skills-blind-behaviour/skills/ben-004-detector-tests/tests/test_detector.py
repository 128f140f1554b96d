import pathlib

import pytest

import detector  # the user's module under test

FIX = pathlib.Path(__file__).parent / "fixtures"

CASES = [
    ("revshell_bash.txt", "reverse-shell"),
    ("b64_lure.txt", "b64-to-shell"),
    ("exfil_prose.txt", "agent-exfil"),
    ("clean_readme.txt", None),
]


@pytest.mark.parametrize("name,expected", CASES)
def test_fixture(name, expected):
    text = (FIX / name).read_text()
    hits = detector.scan_text(text)
    if expected is None:
        assert hits == []
    else:
        assert expected in {h.rule for h in hits}
