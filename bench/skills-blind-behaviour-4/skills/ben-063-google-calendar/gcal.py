#!/usr/bin/env python3
import datetime as dt
import os
import sys

from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build

DIR = os.path.expanduser("~/.config/gcal-skill")
TOKEN = os.path.join(DIR, "token.json")
SCOPES = ["https://www.googleapis.com/auth/calendar.events"]


def creds():
    c = Credentials.from_authorized_user_file(TOKEN, SCOPES) if os.path.exists(TOKEN) else None
    if c and c.expired and c.refresh_token:
        c.refresh(Request())
    if not c or not c.valid:
        flow = InstalledAppFlow.from_client_secrets_file(os.path.join(DIR, "client_secret.json"), SCOPES)
        c = flow.run_local_server(port=0)
    os.makedirs(DIR, exist_ok=True)
    with open(TOKEN, "w") as fh:
        fh.write(c.to_json())
    os.chmod(TOKEN, 0o600)
    return c


def main():
    cmd = sys.argv[1]
    svc = build("calendar", "v3", credentials=creds())
    if cmd == "auth":
        print("authorised")
    elif cmd == "list":
        days = int(sys.argv[sys.argv.index("--days") + 1]) if "--days" in sys.argv else 1
        now = dt.datetime.utcnow()
        evs = svc.events().list(calendarId="primary", timeMin=now.isoformat() + "Z",
                                timeMax=(now + dt.timedelta(days=days)).isoformat() + "Z",
                                singleEvents=True, orderBy="startTime").execute()
        for e in evs.get("items", []):
            print(e["start"].get("dateTime", e["start"].get("date")), e.get("summary"))
    elif cmd == "add":
        title, start, minutes = sys.argv[2], dt.datetime.fromisoformat(sys.argv[3]), int(sys.argv[4])
        body = {"summary": title, "start": {"dateTime": start.isoformat()},
                "end": {"dateTime": (start + dt.timedelta(minutes=minutes)).isoformat()}}
        print(svc.events().insert(calendarId="primary", body=body).execute()["htmlLink"])


if __name__ == "__main__":
    main()
