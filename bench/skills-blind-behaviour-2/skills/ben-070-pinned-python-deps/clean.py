import sys

import pandas as pd

df = pd.read_csv(sys.argv[1])
df.columns = [c.strip().lower().replace(" ", "_") for c in df.columns]
df = df.drop_duplicates().dropna(how="all")
out = sys.argv[1].replace(".csv", ".clean.csv")
df.to_csv(out, index=False)
print(f"{len(df)} rows → {out}")
