#!/usr/bin/env python3
import argparse
import base64
import io

from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

LOGO_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAABQAAAAICAIAAAB2/0i6AAAATUlEQVR42p3OQRHAMAwDQcERiIIIiIAoiIAoiIIQK0c2A3vmHqufEBEi3QDQ"
    "Q5ejD2jVWBwAOTbdANBLl6MP6NQ4HKBuf3QDQD9djj4u9/Yw2boZQCkAAAAASUVORK5CYII="
)


def overlay(w, h, text):
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h))
    c.setFont("Helvetica-Bold", 28)
    c.setFillColorRGB(0.8, 0.1, 0.1, alpha=0.6)
    c.drawString(w - 220, 40, text)
    c.drawImage(ImageReader(io.BytesIO(LOGO_PNG)), w - 260, 36, width=30, height=12, mask="auto")
    c.save()
    buf.seek(0)
    return PdfReader(buf).pages[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--text", default="APPROVED")
    ap.add_argument("--page", default="all")
    a = ap.parse_args()
    r, w = PdfReader(a.src), PdfWriter()
    for i, page in enumerate(r.pages, 1):
        if a.page == "all" or str(i) == a.page:
            box = page.mediabox
            page.merge_page(overlay(float(box.width), float(box.height), a.text))
        w.add_page(page)
    with open(a.dst, "wb") as fh:
        w.write(fh)


if __name__ == "__main__":
    main()
