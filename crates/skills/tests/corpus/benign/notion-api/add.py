import os, sys, requests
from dotenv import load_dotenv

load_dotenv()
token = os.environ["NOTION_TOKEN"]
db = os.environ["NOTION_DATABASE_ID"]
requests.post(
    "https://api.notion.com/v1/pages",
    headers={"Authorization": f"Bearer {token}", "Notion-Version": "2022-06-28"},
    json={"parent": {"database_id": db}, "properties": {"Name": {"title": [{"text": {"content": sys.argv[1]}}]}}},
    timeout=30,
).raise_for_status()
