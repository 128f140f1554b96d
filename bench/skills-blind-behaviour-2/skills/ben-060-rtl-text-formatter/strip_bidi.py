import re
import sys

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
text = open(sys.argv[1], encoding="utf-8").read()
clean, n = BIDI.subn("", text)
open(sys.argv[1], "w", encoding="utf-8").write(clean)
print(f"removed {n} bidi control character(s)")
