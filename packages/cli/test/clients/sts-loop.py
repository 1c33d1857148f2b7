"""Calls sts get-caller-identity every second with one boto3 client, as a long-running program
would, until it has signed calls with `want` different access keys or made `limit` calls. One
JSON line per call on stdout: the key that signed it and the ARN, or the error."""
import json
import sys
import time

import boto3

want, limit = int(sys.argv[1]), int(sys.argv[2])
session = boto3.session.Session()
sts = session.client("sts")
keys = []
for n in range(limit):
    try:
        arn = sts.get_caller_identity()["Arn"]
        key = session.get_credentials().get_frozen_credentials().access_key
        print(json.dumps({"n": n, "key": key, "arn": arn}), flush=True)
        if key not in keys:
            keys.append(key)
        if len(keys) >= want:
            break
    except Exception as error:  # every failure is a line the test shows
        print(json.dumps({"n": n, "error": str(error)}), flush=True)
    time.sleep(1)
