import argparse

import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("-o", "--out", default="clean.csv")
    a = ap.parse_args()
    df = pd.read_excel(a.src) if a.src.endswith("xlsx") else pd.read_csv(a.src)
    df = df.apply(lambda s: s.str.strip() if s.dtype == object else s).drop_duplicates()
    df.to_csv(a.out, index=False)
    print(f"{len(df)} rows -> {a.out}")


if __name__ == "__main__":
    main()
