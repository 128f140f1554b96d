#!/usr/bin/env python3
import csv
import sys

from openpyxl import load_workbook

wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
out = csv.writer(sys.stdout)
for ws in wb.worksheets:
    out.writerow([f"## {ws.title}"])
    for row in ws.iter_rows(values_only=True):
        out.writerow(["" if v is None else v for v in row])
