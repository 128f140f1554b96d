# Test oracle: prints, as JSON, what fail2ban's own FilterReader makes of a
# filter (as fail2ban-regex reads it), for comparison with clawguard-f2b.
# Usage: python3 fail2ban_filter_dump.py BASEDIR SPEC [SPEC...]
import json
import shlex
import sys

from fail2ban.client.filterreader import FilterReader
from fail2ban.helpers import extractOptions


def lines(value):
    if value is None:
        return []
    return [line for line in value.split("\n") if line.strip()]


def journal(value):
    out = []
    for line in lines(value):
        current = []
        for word in shlex.split(line):
            if word == "+":
                if current:
                    out.append(current)
                current = []
            else:
                current.append(word)
        if current:
            out.append(current)
    return out


def dump(basedir, spec):
    name, opts = extractOptions(spec)
    reader = FilterReader(name, name, opts, share_config={}, basedir=basedir)
    if not reader.read():
        return {"error": "read failed"}
    reader.getOptions({})
    combined = reader.getCombined()
    pref = combined.get("prefregex")
    date = combined.get("datepattern")
    return {
        "prefregex": pref if pref else None,
        "failregex": lines(combined.get("failregex")),
        "ignoreregex": lines(combined.get("ignoreregex")),
        "datepattern": date if date else None,
        "maxlines": int(combined.get("maxlines") or 1),
        "journalmatch": journal(combined.get("journalmatch")),
    }


result = {}
for spec in sys.argv[2:]:
    try:
        result[spec] = dump(sys.argv[1], spec)
    except Exception as e:  # reported, compared as an error
        result[spec] = {"error": repr(e)}
print(json.dumps(result))
