"""Test helpers that need nothing above lib.

``pdf_text`` reads the text of a PDF that fpdf2 wrote uncompressed. fpdf2
writes text in embedded TrueType fonts as two-byte glyph codes; each font's
``/ToUnicode`` map turns them back into characters. This reads the page
content streams in order, follows the ``Tf`` font changes and decodes every
``Tj`` string and ``TJ`` array. It understands what fpdf2 writes, not every
PDF.
"""

from __future__ import annotations

import re

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>")
_STRING = rb"\(((?:\\.|[^\\)])*)\)"
_TOKEN = re.compile(
    rb"/(F\d+)\s+[\d.]+\s+Tf"
    + rb"|"
    + _STRING
    + rb"\s*Tj"
    + rb"|\[((?:\((?:\\.|[^\\)])*\)|[^\]\(])*)\]\s*TJ",
    re.S,
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        byte = raw[i : i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        if nxt in _ESCAPES:
            out += _ESCAPES[nxt]
            i += 2
        elif nxt.isdigit():
            digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if digits is None:
                raise ValueError("a PDF string escape without its digits")
            out.append(int(digits.group(0), 8))
            i += 1 + len(digits.group(0))
        else:
            out += nxt
            i += 2
    return bytes(out)


def _decode(raw: bytes, cmap: dict[int, str]) -> str:
    codes = [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)]
    return "".join(cmap.get(c, "") for c in codes)


def pdf_text(pdf: bytes) -> str:
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    cmaps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        ref = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if ref:
            stream = _STREAM.search(objects[int(ref.group(1))])
            if stream is None:
                raise ValueError("a /ToUnicode map without its stream")
            cmaps[number] = {
                int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
                for code, text in _BFCHAR.findall(stream.group(1))
            }
    names: dict[bytes, int] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            if int(ref) in cmaps:
                names[name] = int(ref)
    parts: list[str] = []
    for body in objects.values():
        if b"Tj" not in body or b"/FontFile" in body or b"/Length1" in body:
            continue
        stream = _STREAM.search(body)
        if stream is None:
            continue
        cmap: dict[int, str] = {}
        for token in _TOKEN.finditer(stream.group(1)):
            if token.group(1):
                cmap = cmaps[names[token.group(1)]]
                continue
            # A TJ array is one line cut where the word spacing stretches it.
            strings = (
                [token.group(2)]
                if token.group(2) is not None
                else re.findall(_STRING, token.group(3))
            )
            parts.append("".join(_decode(_unescape(s), cmap) for s in strings))
    return re.sub(r"\s+", " ", " ".join(parts))
