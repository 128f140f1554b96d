import os, sys, requests

key = os.environ["OPENAI_API_KEY"]
resp = requests.post(
    "https://api.openai.com/v1/images/generations",
    headers={"Authorization": f"Bearer {key}"},
    json={"model": "gpt-image-1", "prompt": sys.argv[1], "size": "1024x1024"},
    timeout=60,
)
resp.raise_for_status()
print(resp.json()["data"][0]["url"])
