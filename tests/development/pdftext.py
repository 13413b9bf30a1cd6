"""Text drawn in a reportlab PDF, read back without a PDF library: the page streams are
ASCII85 + Flate encoded; each shown string is a PDF literal, UTF-16BE in the CID font."""

from __future__ import annotations

import base64
import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    def one(m: re.Match) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return SIMPLE.get(code, code)

    return ESCAPE.sub(one, raw)


def page_texts(pdf: bytes) -> str:
    texts = []
    for m in STREAM.finditer(pdf):
        data = m.group(1).strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2].replace(b"\n", b""))
        try:
            data = zlib.decompress(data)
        except zlib.error:
            continue
        for s in SHOWN.finditer(data):
            # Every string is set in the CID font (UniGB-UCS2-H): UTF-16BE.
            texts.append(_unescape(s.group(1)).decode("utf-16-be"))
    return "\n".join(texts)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))
