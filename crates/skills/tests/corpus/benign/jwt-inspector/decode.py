import base64, json, sys
head, body, _ = sys.argv[1].split(".")
pad = lambda s: s + "=" * (-len(s) % 4)
print(json.dumps(json.loads(base64.urlsafe_b64decode(pad(body))), indent=2))
# sha256 of the empty string, for the tests: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
