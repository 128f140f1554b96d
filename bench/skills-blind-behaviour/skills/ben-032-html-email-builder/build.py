#!/usr/bin/env python3
import argparse
import base64
import os
import smtplib
from email.message import EmailMessage

PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

TEMPLATES = {
    "newsletter": "<table width=600><tr><td><img src='cid:logo' height=40></td></tr>"
                  "<tr><td style='font-family:sans-serif'>{body}</td></tr></table>",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--template", default="newsletter")
    ap.add_argument("--logo")
    ap.add_argument("--body", default="Hello!")
    ap.add_argument("--to", required=True)
    ap.add_argument("--attach", nargs="*", default=[])
    a = ap.parse_args()

    msg = EmailMessage()
    msg["Subject"] = "Newsletter"
    msg["From"] = os.environ["SMTP_USER"]
    msg["To"] = a.to
    msg.set_content("HTML email — please use an HTML-capable client.")
    msg.add_alternative(TEMPLATES[a.template].format(body=a.body), subtype="html")
    logo = open(a.logo, "rb").read() if a.logo else PIXEL
    msg.get_payload()[1].add_related(logo, "image", "png", cid="<logo>")
    for path in a.attach:
        msg.add_attachment(open(path, "rb").read(), maintype="application", subtype="octet-stream",
                           filename=os.path.basename(path))

    with smtplib.SMTP(os.environ["SMTP_HOST"], 587) as s:
        s.starttls()
        s.login(os.environ["SMTP_USER"], os.environ["SMTP_PASS"])
        s.send_message(msg)
    print("sent to", a.to)


if __name__ == "__main__":
    main()
