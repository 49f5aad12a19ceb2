"""Drawing codes: a QR image (SVG or PNG, with ``segno``) and a printable PDF sheet (``reportlab``).

The sheet uses reportlab's built-in CID font STSong-Light (Adobe-GB1), so a lot's Chinese name renders with no
font file shipped or installed. Error correction M: a printed code survives a scratch or a sticker's crease.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import segno
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from parking.codes.texts import CodeText, kind_name, text
from parking.merchants.models import CodeKind

FONT = "STSong-Light"
_ERROR = "m"


def qr_svg(content: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make_qr(content, error=_ERROR).save(out, kind="svg", scale=scale, border=4, xmldecl=True)
    return out.getvalue()


def qr_png(content: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make_qr(content, error=_ERROR).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class SheetCode:
    """One code on a sheet: what it holds and the lines printed under it."""

    url: str
    lot_name: str
    kind: CodeKind
    label: str
    expires_at: datetime
    timezone: str = "Asia/Shanghai"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _qr_drawing(content: str, size: float) -> Drawing:
    widget = QrCodeWidget(content, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _cell(pdf: canvas.Canvas, code: SheetCode, x: float, y: float, width: float, height: float) -> None:
    """One code centred in the cell whose bottom-left is (x, y)."""
    font = _font()
    title, qr_size = min(width, height) * 0.08, min(width, height * 0.62)
    cx = x + width / 2
    top = y + height
    pdf.setFont(font, title)
    pdf.drawCentredString(cx, top - title * 1.6, code.lot_name)
    pdf.setFont(font, title * 0.8)
    pdf.drawCentredString(cx, top - title * 2.9, kind_name(code.kind))
    qr_top = top - title * 3.4
    renderPDF.draw(_qr_drawing(code.url, qr_size), pdf, cx - qr_size / 2, qr_top - qr_size)
    line = title * 0.55
    below = qr_top - qr_size - line * 1.5
    pdf.setFont(font, line)
    if code.label:
        pdf.drawCentredString(cx, below, code.label)
        below -= line * 1.5
    local = code.expires_at.astimezone(ZoneInfo(code.timezone))
    pdf.drawCentredString(cx, below, text(CodeText.SHEET_VALID_UNTIL, date=local.strftime("%Y-%m-%d %H:%M")))
    pdf.drawCentredString(cx, below - line * 1.5, text(CodeText.SHEET_SCAN_HINT))


def sheet_pdf(codes: Sequence[SheetCode], per_page: int = 1, title: str = "") -> bytes:
    """A printable A4 PDF: one code per page (a lane's poster), or a grid of 4 or 6 (VIP cards to cut)."""
    columns, rows = {1: (1, 1), 2: (1, 2), 4: (2, 2), 6: (2, 3)}.get(per_page, (1, 1))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle(title or text(CodeText.SHEET_TITLE))
    page_w, page_h = A4
    margin = 12 * mm
    cell_w, cell_h = (page_w - 2 * margin) / columns, (page_h - 2 * margin) / rows
    per = columns * rows
    for index, code in enumerate(codes):
        if index and index % per == 0:
            pdf.showPage()
        slot = index % per
        col, row = slot % columns, slot // columns
        _cell(pdf, code, margin + col * cell_w, page_h - margin - (row + 1) * cell_h, cell_w, cell_h)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
