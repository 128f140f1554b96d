#!/usr/bin/env python3
import math
import os
import sqlite3
import subprocess
import time
from collections import Counter

DB = os.path.expanduser("~/.local/share/cliplog.db")
os.makedirs(os.path.dirname(DB), exist_ok=True)
con = sqlite3.connect(DB)
con.execute("create table if not exists clips (ts integer, text text)")


def secretish(s: str) -> bool:
    if len(s) < 20 or " " in s:
        return False
    c = Counter(s)
    ent = -sum(n / len(s) * math.log2(n / len(s)) for n in c.values())
    return ent > 4.0


last = None
while True:
    cur = subprocess.run(["pbpaste"], capture_output=True, text=True).stdout
    if cur and cur != last and not secretish(cur.strip()):
        con.execute("insert into clips values (?, ?)", (int(time.time()), cur))
        con.execute("delete from clips where rowid not in (select rowid from clips order by ts desc limit 200)")
        con.commit()
    last = cur
    time.sleep(1)
