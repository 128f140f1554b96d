#!/usr/bin/env python3
import sys
import xml.etree.ElementTree as ET

RISKY = {"23": "telnet", "445": "SMB", "3389": "RDP", "18789": "OpenClaw gateway", "5900": "VNC"}

root = ET.parse(sys.argv[1]).getroot()
print("| host | port | service |\n|---|---|---|")
flags = []
for host in root.findall("host"):
    addr = host.find("address").get("addr")
    for p in host.findall("ports/port"):
        if p.find("state").get("state") != "open":
            continue
        svc = p.find("service")
        name = svc.get("name") if svc is not None else "?"
        pid = p.get("portid")
        print(f"| {addr} | {pid} | {name} |")
        if pid in RISKY:
            flags.append(f"{addr}:{pid} ({RISKY[pid]})")
if flags:
    print("\n**Consider closing:** " + ", ".join(flags))
