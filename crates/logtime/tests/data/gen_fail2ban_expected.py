#!/usr/bin/env python3
"""Regenerates fail2ban_expected.jsonl: what fail2ban 1.0.2's date detector
finds in fail2ban's own sample logs (tests/files/logs) and in extra lines,
with each filter's effective datepattern and with the default templates.

Run: TZ=UTC PYTHONPATH=/usr/lib/python3/dist-packages python3 gen_fail2ban_expected.py
"""
import json, os, sys, glob

sys.path.insert(0, "/usr/lib/python3/dist-packages")
from fail2ban.server.mytime import MyTime
from fail2ban.server.datedetector import DateDetector
from fail2ban.client.filterreader import FilterReader

NOW = 1124013600  # 2005-08-14 10:00:00 UTC, fail2ban's own test "now"
LOGS = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"
MAX_LINES = 80

MyTime.setTime(NOW)


def detector(pattern):
    dd = DateDetector()
    if pattern is None:
        dd.addDefaultTemplate()
    else:
        for p in [p.strip() for p in pattern.split("\n") if p.strip()]:
            dd.appendTemplate(p)
    return dd


def run(group, pattern, lines, out):
    dd = detector(pattern)
    for line in lines:
        rec = {"group": group, "pattern": pattern, "line": line, "now_ms": NOW * 1000}
        try:
            m, t = dd.matchTime(line)
            if m is None:
                rec["span"] = None
            else:
                s, e = m.start(1), m.end(1)
                bs = len(line[:s].encode()); be = len(line[:e].encode())
                rec["span"] = [bs, be]
                if s == e:
                    rec["time"] = "empty"
                else:
                    d = dd.getTime(line, (m, t))
                    rec["time"] = None if d is None else d[0]
        except Exception as ex:  # fail2ban errors on some odd input
            rec["span"] = None
            rec["error"] = repr(ex)
        out.write(json.dumps(rec) + "\n")


def filter_pattern(name):
    try:
        fr = FilterReader(name, name, {}, share_config={}, basedir="/etc/fail2ban")
        if not fr.read():
            return None
        fr.getOptions({})
        opts = fr.getCombined()
        return opts.get("datepattern")
    except Exception:
        return None


def log_lines(path):
    lines = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("#") or not line.strip():
                continue
            lines.append(line)
            if len(lines) >= MAX_LINES:
                break
    return lines


EXTRA = [
    "Jan 23 21:59:59 [sshd] error: PAM: Authentication failure",
    "Sun Jan 23 21:59:59 2005 host x", "Sun Jan 23 2005 21:59:59 host x",
    "2005/01/23 21:59:59 x", "2005.01.23 21:59:59 x", "23/01/2005 21:59:59 x", "23/01/05 21:59:59 x",
    "23/Jan/2005:21:59:59 x", "23/Jan/2005:21:59:59 +0100 x", "01/23/2005:21:59:59 x",
    "2005-01-23 21:59:59,000 x", "23-Jan-2005 21:59:59.02 x", "23-Jan-2005 21:59:59 +0100 x",
    "23-01-2005 21:59:59 x", "1106513999 x", "01-23-2005 21:59:59.252 x",
    "@4000000041f4104f00000000 x", "2005-01-23T20:59:59.252Z x", "2005-01-23T15:59:59-05:00 x",
    "20050123T215959 x", "20050123 215959 x", "<01/23/05@21:59:59> x", "050123 21:59:59 x",
    "Jan-23-05 21:59:59 x", "Jan 23, 2005 9:59:59 PM x", "1106513999.000 x", "[1106513999.000] x",
    "type=USER_AUTH msg=audit(1106513999.000:987): x", "no date line",
    "bogus-prefix Jan 23 21:59:59 x", "bogus-prefix 2005-01-23 21:59:59 x", "word-boundaryJan 23 21:59:59 x",
    "Test failure TestJan 23 21:59:59.011 2015 for 192.0.2.1", "Test failure Jan 23 21:59:59123456789 for 192.0.2.1",
    "Aug 8 11:25:50 20030f2329b8 Authentication failed from 192.0.2.1",
    "[Aug 8 11:25:50] 20030f2329b8 Authentication failed from 192.0.2.1",
    "Aug 8 11:25:50 2014 20030f2329b8 Authentication failed from 192.0.2.1",
    "Dec 31 23:59:59 host rollover", "Aug 15 09:00:00 host tomorrow", "Aug 15 11:00:00 host day-after",
    "Feb 29 10:00:00 host leap", "Feb 30 10:00:00 host invalid",
    "PDT Apr 16 21:05:29 monit", "+02:00 Jan 23 21:59:59.011 2005 x", "CET Jan 23 21:59:59 x",
    "21:59:59 time only", "09:00:00 time only", "some free text 030324  0:03:59 -- 2003-03-07 17:05:01 ...",
    "server mysqld[1000]: 030324  0:04:00 [Warning] Access denied foreign-input 2003-03-07 17:05:01 test",
    "server mysqld[1020]: Sep 16 21:30:26 server mysqld: 030916 21:30:26 [Warning] Access denied",
    "2003-12-30 01:02:03 +0000 x", "2003-12-30 01:02:03 UTC x", "2003-12-30 01:02:03 +0530 x",
    "2003-12-30 01:02:03 -04 x", "2003-12-30T01:02:03.123456+01:00 x", "Jul  4 05:06:07 host double space",
    "Jan 23 21:59:59 host a", "Jan 23 21:59:60 host leap second", "Jan 23 24:59:59 host bad hour",
    "ñJan 23 21:59:59 host unicode", "[2005-01-23 21:59:59] x", "<2005-01-23 21:59:59> x",
]

CUSTOM = [
    (r"%H:%M:%S %d.%m.%Y$", ["192.0.2.1 at 20:00:00 01.02.2003"]),
    (r"\[%H:%M:%S %d.%m.%Y\]", ["192.0.2.1[20:00:00 01.02.2003]", "[20:00:00 01.02.2003]192.0.2.1"]),
    (r"^\[%d/%b/%Y %H:%M:%S\]", ["[17/Jun/2011 17:00:45] Attempt, IP address 192.0.2.1"]),
    (r"%H:%M:%S %d.%m.%Y", ["192.0.2.1x20:00:00 01.02.2003", "20:00:00 01.02.2003x192.0.2.1", "192.0.2.1 20:00:00 01.02.2003"]),
    (r"**%H:%M:%S %d.%m.%Y**", ["192.0.2.1x20:00:00 01.02.2003", "20:00:00 01.02.2003x192.0.2.1"]),
    (r"\**%H:%M:%S %d.%m.%Y\**", ["test*20:00:00 01.02.2003*test"]),
    (r"%ExY-%Exm-%Exd %ExH:%ExM:%ExS", ["0000-12-30 00:00:00 - 2003-12-30 00:00:00"]),
    (r"%Y%m%d %H%M%S", ["text:200333 010203 | date:20031230 010203"]),
    (r"%ExY%Exm%Exd %ExH%ExM%ExS", ["text:200333 010203 | date:20031230 010203", "00001230 010203 - 20030101 000000"]),
    (r"{^LN-BEG}%ExY%Exm%Exd %ExH%ExM%ExS", ["00001230 010203 - 20030101 000000", "20031230 010203 - 20030101 000000"]),
    (r"{^LN-BEG}%ExY%Exm%Exd%ExH%ExM%ExS**", ["2003123001020320030101000000", "#2003123001020320030101000000", "##2003123001020320030101000000", "###2003123001020320030101000000"]),
    (r"{^LN-BEG}%ExY%Exm%Exd%ExH%ExM%ExS", ["[20031230010203]20030101000000"]),
    (r"{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %z)?", ["[2003-12-30 01:02:03] server ...", "[2003-12-30 01:02:03 UTC] server ...", "[2003-12-30 01:02:03 Z] server ...", "[2003-12-30 01:02:03 +0000] server ..."]),
    (r"{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %Z)?", ["[2003-12-30 01:02:03] server ...", "[2003-12-30 01:02:03 UTC] server ...", "[2003-12-30 01:02:03 Z] server ..."]),
    (r"^%ExY-%Exm-%Exd %H:%M:%S(?: ?%Exz)?", ["2017-01-23 15:00:00 CET", "2017-01-23 15:00:00 CEST", "2017-01-23 15:00:00 CET+0130", "2017-01-23 15:00:00 -10:45"]),
    (r"^%B %Exd %I:%ExM:%ExS**", ["January 23 12:59:59"]),
    (r"^%y %U %A %ExH:%ExM:%ExS**", ["01 11 Wednesday 21:59:59"]),
    (r"^%y %W %A %ExH:%ExM:%ExS**", ["01 11 Wednesday 21:59:59"]),
    (r"^%y %W %w %ExH:%ExM:%ExS**", ["01 11 0 21:59:59", "01 11 6 21:59:59"]),
    (r"^%ExH:%ExM:%ExS**", ["21:59:59", "00:00:01"]),
    (r"^%m/%d %ExH:%ExM:%ExS**", ["09/01 21:59:59", "08/14 09:00:00"]),
    (r"^%Y-%m-%d**", ["2004-09-01"]),
    (r"^%Y-%m-%d%z**", ["2004-09-01Z"]),
    (r"^%j %Y %H:%M:%S", ["032 2005 10:00:00"]),
    (r"%H:%M:%S", ["00:01:02 test", "test 00:01:02", "  0:1:2 test", "test 0:1:2"]),
    (r"{UNB}%H:%M:%S", ["00:01:02 test", "test 00:01:02", "a00:01:02b"]),
    ("EPOCH", ["1138049999 [sshd] x", "[1138049999] x", "[1138049999.555] x", "audit(1138049999.555:101) x", "123456789 x", "1138049999A x", "A1138049999 x", "32535244799 x"]),
    ("LEPOCH", ["1138049999 x", "1138049999000 x", "1138049999000000 x", "[1138049999000] x", "audit(1138049999000:101) x", "999999999999999999 x"]),
    (r"(?<=\|\s){LEPOCH}(?=\s\|)", ["auth-error | 1138049999 | invalid password", "auth-error | 1138049999000 | x", "test1138049999123", "test-right | 1138049999test"]),
    ("{^LN-BEG}EPOCH", ["1138049999 x", "x 1138049999"]),
    ("TAI64N", ["@4000000041f4104f00000000 x", "x @4000000041f4104f00000000 y"]),
    ("{^LN-BEG}TAI64N", ["@4000000041f4104f00000000 x", "x @4000000041f4104f00000000 y"]),
    ("{NONE}", ["anything 2005-01-23 21:59:59", ""]),
    ("{^LN-BEG}", ["Jan 23 21:59:59 host", "x Jan 23 21:59:59 host", "21:59:59 host"]),
    ("{DEFAULT}", ["x Jan 23 21:59:59 host"]),
    ("^[^\\[]*\\[({DATE})", ["client [Sun Jan 23 21:59:59.011 2005] x", "client [2005-01-23 21:59:59] x", "client [1106513999] x"]),
    ("^<\\d+>\\d+\\s+{DATE}", ["<34>1 2005-01-23T21:59:59.003Z host app", "<34>1 Jan 23 21:59:59 host"]),
    ("%Y-%m-%d %H:%M:%S\n{^LN-BEG}EPOCH", ["2005-01-23 21:59:59 x", "1106513999 x"]),
]


ORDERED = [
    ("030324  0:03:59", "some free text 030324  0:03:59 -- 2003-03-07 17:05:01 ...", 1),
    ("2003-03-07 17:05:01", "some free text 2003-03-07 17:05:01 test ...", 15),
    ("030324  0:04:00", "server mysqld[1000]: 030324  0:04:00 [Warning] Access denied ... foreign-input just some free text 2003-03-07 17:05:01 test", 10),
    ("Sep 16 21:30:26", "server mysqld[1020]: Sep 16 21:30:26 server mysqld: 030916 21:30:26 [Warning] Access denied", 15),
    ("2005-10-07 06:09:42", "server mysqld[5906]: 2005-10-07 06:09:42 5907 [Warning] Access denied", 20),
    ("2005-10-08T15:26:18.237955", "server mysqld[5906]: 2005-10-08T15:26:18.237955 6 [Note] Access denied", 20),
    ("051009 10:05:30", "server mysqld[1000]: 051009 10:05:30 [Warning] Access denied ...", 50),
    ("", "2012/10/11 02:37:17 [error] 18434#0", 1),
    ("", "11/10/2012 02:37:17 [error] 18434#0", 10),
    ("", "2012/10/11 02:37:17 [error] 18434#0", 1),
]


def main():
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fail2ban_expected.jsonl")
    with open(out_path, "w") as out:
        run("extra/default", None, EXTRA, out)
        run("ordered/default", None, [l for _, l, n in ORDERED for _ in range(n)], out)
        for fmt in ("%s test", "%8s test", "test %s", "test %8s"):
            for dp in (r"%H:%M:%S", r"{UNB}%H:%M:%S"):
                run("collision", dp, [fmt % t for t in ("00:01:02", "00:01:2", "00:1:2", "0:1:2", "00:1:2", "00:01:2", "00:01:02", "0:1:2", "00:01:02")], out)
        for pattern, lines in CUSTOM:
            run("custom", pattern, lines, out)
        for path in sorted(glob.glob(os.path.join(LOGS, "*"))):
            name = os.path.basename(path)
            if not os.path.isfile(path):
                continue
            lines = log_lines(path)
            run("log/%s/default" % name, None, lines, out)
            pattern = filter_pattern(name)
            if pattern:
                run("log/%s/filter" % name, pattern, lines, out)


main()
