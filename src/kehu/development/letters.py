"""Printable letters and brochures as PDF (F5), drawn with reportlab.

Chinese text uses reportlab's built-in CID font ``STSong-Light`` (Adobe's Asian font pack
names it; PDF viewers bring the glyphs), so nothing is downloaded or embedded and the files
stay small. Latin text is set in the same font, which covers ASCII.

- a letter run: one page per recipient (address block, date, salutation, the text with
  ``{name}`` personalised, signature);
- a brochure: one document (a title band, the text in paragraphs), the same for everyone.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from kehu.customers.models import Customer
from kehu.development.models import Lead
from kehu.development.touches import personal

FONT = "STSong-Light"
MARGIN = 20 * mm
WIDTH, HEIGHT = A4


@functools.cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` at most ``width`` wide. Chinese has no spaces between words, so a
    line breaks at any character; Latin words are kept whole where they fit."""
    font = _font()
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if line and pdfmetrics.stringWidth(candidate, font, size) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = candidate
        lines.append(line.rstrip())
    return lines


def _tokens(paragraph: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    for char in paragraph:
        if char.isascii() and not char.isspace():
            word += char
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(char)
    if word:
        tokens.append(word)
    return tokens


def _text(pdf: canvas.Canvas, lines: Iterable[str], x: float, y: float, size: float) -> float:
    leading = size * 1.6
    for line in lines:
        if y < MARGIN:
            pdf.showPage()
            pdf.setFont(_font(), size)
            y = HEIGHT - MARGIN
        pdf.drawString(x, y, line)
        y -= leading
    return y


def _address(holder: Customer | Lead) -> list[str]:
    lines = [holder.name]
    if isinstance(holder, Customer):
        place = " ".join(p for p in (holder.province, holder.city, holder.district) if p)
        lines += [p for p in (place, holder.address, holder.postcode) if p]
    else:
        lines += [p for p in (holder.company, holder.city) if p]
    return lines


def letters_pdf(
    *, subject: str, body: str, holders: Iterable[Customer | Lead], sender: str, on: dt.date
) -> bytes:
    """One letter per holder, each on its own page(s)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(subject)
    font = _font()
    text_width = WIDTH - 2 * MARGIN
    pages = 0
    for holder in holders:
        pages += 1
        pdf.setFont(font, 11)
        y = _text(pdf, _address(holder), MARGIN, HEIGHT - MARGIN, 11)
        pdf.drawRightString(WIDTH - MARGIN, HEIGHT - MARGIN, on.isoformat())
        pdf.setFont(font, 14)
        y = _text(pdf, wrap(personal(subject, holder), 14, text_width), MARGIN, y - 12 * mm, 14)
        pdf.setFont(font, 11)
        salutation = _("Dear %(name)s,") % {"name": holder.name}
        y = _text(pdf, [salutation], MARGIN, y - 4 * mm, 11)
        y = _text(pdf, wrap(personal(body, holder), 11, text_width), MARGIN, y, 11)
        _text(pdf, [sender], MARGIN, y - 8 * mm, 11)
        pdf.showPage()
    if not pages:
        pdf.setFont(font, 11)
        pdf.drawString(MARGIN, HEIGHT - MARGIN, _("No recipients."))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def brochure_pdf(*, title: str, body: str, sender: str) -> bytes:
    """A one-document brochure: a title band, then the text."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    font = _font()
    band = 40 * mm
    pdf.setFillColorRGB(0.11, 0.32, 0.55)
    pdf.rect(0, HEIGHT - band, WIDTH, band, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(font, 24)
    lines = wrap(title, 24, WIDTH - 2 * MARGIN)[:2]
    _text(pdf, lines, MARGIN, HEIGHT - band / 2, 24)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 12)
    y = _text(pdf, wrap(body, 12, WIDTH - 2 * MARGIN), MARGIN, HEIGHT - band - 15 * mm, 12)
    pdf.setFont(font, 10)
    _text(pdf, [sender], MARGIN, max(y - 10 * mm, MARGIN), 10)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
