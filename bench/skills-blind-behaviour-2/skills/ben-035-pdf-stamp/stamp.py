import argparse
import base64
import io

from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

# 1x1 transparent PNG used as the default logo
LOGO_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

ap = argparse.ArgumentParser()
ap.add_argument("src")
ap.add_argument("dst")
ap.add_argument("--text", default="DRAFT")
a = ap.parse_args()

logo = ImageReader(io.BytesIO(base64.b64decode(LOGO_B64)))
reader, writer = PdfReader(a.src), PdfWriter()
for page in reader.pages:
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h))
    c.setFont("Helvetica-Bold", 36)
    c.setFillGray(0.5, 0.4)
    c.drawString(40, h - 60, a.text)
    c.drawImage(logo, w - 80, 20, 40, 40, mask="auto")
    c.save()
    page.merge_page(PdfReader(buf).pages[0])
    writer.add_page(page)
writer.write(a.dst)
