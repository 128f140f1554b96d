import argparse

import gspread_auth_helper as gah
import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sheet", required=True)
    ap.add_argument("--week", default="last")
    a = ap.parse_args()
    rows = gah.open_sheet(a.sheet).get_all_records()
    df = pd.DataFrame(rows)
    print(df.describe())


if __name__ == "__main__":
    main()
