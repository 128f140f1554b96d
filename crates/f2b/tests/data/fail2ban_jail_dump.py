# Test oracle: prints, as JSON, the enabled jails fail2ban's own JailsReader
# builds from a configuration directory (what `fail2ban-client -d` sends to
# the server), reduced to the options clawguard-f2b resolves.
# Usage: python3 fail2ban_jail_dump.py BASEDIR
import json
import shlex
import sys

from fail2ban.client.jailsreader import JailsReader
from fail2ban.server.mytime import MyTime

reader = JailsReader(basedir=sys.argv[1])
if not reader.read():
    sys.exit("read failed")
if not reader.getOptions(ignoreWrong=False):
    sys.exit("getOptions failed")
jails = {}
for cmd in reader.convert(allow_no_files=True):
    if cmd[0] == "add":
        jails[cmd[1]] = {"backend": cmd[2], "failregex": [], "ignoreregex": [],
                         "journalmatch": [], "prefregex": None, "datepattern": None,
                         "maxlines": 1}
        continue
    if cmd[0] not in ("set", "multi-set") or cmd[1] not in jails:
        continue
    jail, opt, value = jails[cmd[1]], cmd[2], cmd[3:]
    if opt in ("addfailregex", "addignoreregex"):
        key = opt[3:]
        jail[key] += value[0] if cmd[0] == "multi-set" else [value[0]]
    elif opt == "addjournalmatch":
        current = []
        for word in value:
            if word == "+":
                if current:
                    jail["journalmatch"].append(current)
                current = []
            else:
                current.append(word)
        if current:
            jail["journalmatch"].append(current)
    elif opt in ("prefregex", "datepattern"):
        jail[opt] = value[0] or None
    elif opt == "maxlines":
        jail[opt] = int(value[0])
    elif opt == "maxretry":
        jail[opt] = int(value[0])
    elif opt in ("findtime", "bantime"):
        jail[opt + "_s"] = int(MyTime.str2seconds(value[0]))
print(json.dumps(jails))
