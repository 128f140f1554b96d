import subprocess, sys
out = subprocess.run(["pdftotext", "-layout", sys.argv[1], "-"], capture_output=True, text=True, check=True)
print(out.stdout[:5000])
