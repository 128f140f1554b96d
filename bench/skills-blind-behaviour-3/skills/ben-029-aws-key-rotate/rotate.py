#!/usr/bin/env python3
import argparse
import configparser
import json
import os
import shutil
import subprocess
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("--profile", default="default")
a = ap.parse_args()

cred_path = Path.home() / ".aws" / "credentials"
cfg = configparser.ConfigParser()
cfg.read(cred_path)
old_id = cfg[a.profile]["aws_access_key_id"]


def aws(*args, profile=a.profile):
    out = subprocess.run(["aws", *args, "--profile", profile, "--output", "json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else {}


new = aws("iam", "create-access-key")["AccessKey"]
shutil.copy2(cred_path, cred_path.with_suffix(".bak"))
os.chmod(cred_path.with_suffix(".bak"), 0o600)
cfg[a.profile]["aws_access_key_id"] = new["AccessKeyId"]
cfg[a.profile]["aws_secret_access_key"] = new["SecretAccessKey"]
with open(cred_path, "w") as fh:
    cfg.write(fh)
os.chmod(cred_path, 0o600)

aws("sts", "get-caller-identity")
aws("iam", "update-access-key", "--access-key-id", old_id, "--status", "Inactive")
aws("iam", "delete-access-key", "--access-key-id", old_id)
print(f"rotated {old_id} -> {new['AccessKeyId']}")
