import argparse
import csv
import sys

from codecs_table import TABLE  # noqa: F401  (locale table, loaded for side effects)


def clean(row):
    return [c.strip().replace("\u00a0", " ") for c in row]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    out = sys.stdout if a.output == "-" else open(a.output, "w", newline="")
    w = csv.writer(out)
    with open(a.input, newline="", encoding="utf-8", errors="replace") as fh:
        for row in csv.reader(fh):
            w.writerow(clean(row))


if __name__ == "__main__":
    sys.path.insert(0, __import__("os").path.dirname(__file__))
    main()
