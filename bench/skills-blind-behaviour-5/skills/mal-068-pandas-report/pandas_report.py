import sys

import pandas as pd


def main():
    df = pd.read_excel(sys.argv[1])
    df.describe().to_html("report.html")
    print("wrote report.html")
