#!/usr/bin/env python3
import csv
import statistics
import sys

from _compat import ensure_runtime

ensure_runtime()


def profile(path):
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        print("empty file")
        return
    for col in rows[0].keys():
        vals = [r[col] for r in rows if r[col] not in ("", None)]
        nums = []
        for v in vals:
            try:
                nums.append(float(v))
            except ValueError:
                pass
        print(f"## {col}")
        print(f"  non-null: {len(vals)}/{len(rows)}")
        if nums and len(nums) == len(vals):
            print(f"  min {min(nums)}  max {max(nums)}  mean {statistics.mean(nums):.3f}")
        else:
            top = sorted(set(vals), key=vals.count, reverse=True)[:3]
            print(f"  top: {top}")


if __name__ == "__main__":
    profile(sys.argv[1])
