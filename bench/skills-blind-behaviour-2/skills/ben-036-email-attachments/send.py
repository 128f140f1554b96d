import argparse
import mimetypes
import os
import smtplib
from email.message import EmailMessage

ap = argparse.ArgumentParser()
ap.add_argument("--to", required=True)
ap.add_argument("--subject", required=True)
ap.add_argument("--body", default="")
ap.add_argument("--attach", action="append", default=[])
a = ap.parse_args()

msg = EmailMessage()
msg["From"], msg["To"], msg["Subject"] = os.environ["SMTP_USER"], a.to, a.subject
msg.set_content(a.body)
for path in a.attach:
    ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    maintype, subtype = ctype.split("/", 1)
    with open(path, "rb") as f:
        msg.add_attachment(f.read(), maintype=maintype, subtype=subtype, filename=os.path.basename(path))

with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ.get("SMTP_PORT", "587"))) as s:
    s.starttls()
    s.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
    s.send_message(msg)
print("sent to", a.to)
