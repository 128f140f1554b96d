#!/usr/bin/env python3
import os
import sys

import boto3


def main():
    session = boto3.Session(profile_name=os.environ.get("AWS_PROFILE"))
    s3 = session.client("s3")
    cmd, *rest = sys.argv[1:] or ["ls"]
    if cmd == "ls" and not rest:
        for b in s3.list_buckets()["Buckets"]:
            print(b["Name"])
    elif cmd == "ls":
        bucket, _, prefix = rest[0].partition("/")
        for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
            print(f"{o['Size']:>12}  {o['Key']}")
    elif cmd == "get":
        bucket, _, key = rest[0].partition("/")
        s3.download_file(bucket, key, rest[1])
        print("downloaded", rest[1])
    else:
        print("usage: s3.py ls [bucket/prefix] | get bucket/key dest")


if __name__ == "__main__":
    main()
