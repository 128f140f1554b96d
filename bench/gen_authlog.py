#!/usr/bin/env python3
"""Write a deterministic mixed sshd/CRON auth.log for the matching benchmark.

About 30 % CRON noise, 35 % sshd failures of six kinds and 35 % benign sshd
lines, like the input behind the figures in fail2ban.md section 14. Every
address comes from the documentation ranges (192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, 2001:db8::/32).

usage: gen_authlog.py LINES OUT
"""
import random
import sys

def main():
    lines, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20261125)
    nets = ["192.0.2.", "198.51.100.", "203.0.113."]
    users = ["root", "admin", "ubuntu", "test", "oracle", "git", "postgres", "deploy", "pi", "user1"]
    months = ["Jan", "Feb", "Mar"]

    def addr():
        if rng.random() < 0.1:
            return "2001:db8:%x::%x" % (rng.randrange(1, 0xffff), rng.randrange(1, 0xffff))
        return rng.choice(nets) + str(rng.randrange(1, 255))

    with open(out, "w") as f:
        for i in range(lines):
            sec = i // 20
            stamp = "%s %2d %02d:%02d:%02d" % (months[0], 1 + (sec // 86400) % 28,
                                              (sec // 3600) % 24, (sec // 60) % 60, sec % 60)
            pid = 1000 + rng.randrange(60000)
            host = "gw1"
            r = rng.random()
            ip = addr()
            user = rng.choice(users)
            port = rng.randrange(1024, 65535)
            if r < 0.30:
                msg = "CRON[%d]: pam_unix(cron:session): session %s for user root" % (
                    pid, rng.choice(["opened", "closed"]))
                if msg.endswith("opened for user root"):
                    msg += " by (uid=0)"
            elif r < 0.65:
                kind = rng.randrange(6)
                if kind == 0:
                    msg = "sshd[%d]: Failed password for %s from %s port %d ssh2" % (pid, user, ip, port)
                elif kind == 1:
                    msg = "sshd[%d]: Failed password for invalid user %s from %s port %d ssh2" % (pid, user, ip, port)
                elif kind == 2:
                    msg = "sshd[%d]: Invalid user %s from %s port %d" % (pid, user, ip, port)
                elif kind == 3:
                    msg = "sshd[%d]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (pid, ip, user)
                elif kind == 4:
                    msg = "sshd[%d]: Connection closed by authenticating user %s %s port %d [preauth]" % (pid, user, ip, port)
                else:
                    msg = "sshd[%d]: Disconnected from invalid user %s %s port %d [preauth]" % (pid, user, ip, port)
            else:
                kind = rng.randrange(4)
                if kind == 0:
                    msg = "sshd[%d]: Accepted publickey for deploy from %s port %d ssh2: ED25519 SHA256:%s" % (
                        pid, ip, port, "x" * 43)
                elif kind == 1:
                    msg = "sshd[%d]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)" % pid
                elif kind == 2:
                    msg = "sshd[%d]: Received disconnect from %s port %d:11: disconnected by user" % (pid, ip, port)
                else:
                    msg = "sshd[%d]: Server listening on 0.0.0.0 port 22." % pid
            f.write("%s %s %s\n" % (stamp, host, msg))

if __name__ == "__main__":
    main()
