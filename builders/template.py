"""A drawn workbook kept as a template: its placeholders replaced for each copy, and every part
that holds none compressed once for all copies.

XlsxWriter spends milliseconds drawing even a small workbook; when many workbooks differ only
in a few strings and numbers (the pair workbooks of one build: builders.pair_shapes; the
receipts of one sync: builders.receipt), each *shape* is drawn once with placeholders and each
copy is the template with the placeholders replaced. The copy is the same file, byte for byte,
as a drawing of it, provided what replaces a placeholder is written by XlsxWriter the way the
placeholder was: text needing no escapes but XML's three (:func:`plain`) and new to the
workbook (:meth:`Template.is_new`: a shared string's place in the table depends only on the
order in which strings are first written), and nothing that changes a row's height. The
callers check that, and draw anything else in full.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from builders.package import Member, Part, compress, pack, unpack

SHARED_STRINGS = "xl/sharedStrings.xml"
MARK = "{{mentorkit:"
"""How every text placeholder begins."""

_PLAIN = re.compile(r"[^\x00-\x1f\ufffe\uffff]*")
_SHARED = re.compile(rb"<si><t(?: [^>]*)?>(.*?)</t></si>", re.S)


class Template:
    """A drawn workbook whose ``filled`` parts hold placeholders."""

    def __init__(self, data: bytes, filled: Collection[str], placeholders: Collection[str]):
        members = unpack(data)
        self.parts: list[Member | Part] = [m if m[0] in filled else compress(m) for m in members]
        shared = next((body for name, _, body in members if name == SHARED_STRINGS), b"")
        # Every string of the template that is not made from a placeholder.
        marks = [escape(p) for p in placeholders]
        self.literals = {s for s in _SHARED.findall(shared) if not any(m in s for m in marks)}

    def is_new(self, text: str) -> bool:
        """Whether ``text``, written as a shared string, takes a place of its own: it is not
        one of the template's own strings."""
        return escape(text) not in self.literals

    def fill(self, replace: dict[bytes, bytes]) -> bytes:
        """The copy: in each filled part, each key of ``replace`` replaced by its value (both
        as written in the XML: see :func:`escape`)."""
        filled: list[Member | Part] = []
        for part in self.parts:
            if isinstance(part, tuple):
                name, when, body = part
                for old, new in replace.items():
                    body = body.replace(old, new)
                part = (name, when, body)
            filled.append(part)
        return pack(filled)


def plain(text: str) -> bool:
    """Written by XlsxWriter as itself, XML's three escapes aside: no leading or trailing
    white space, no control characters, nothing like XlsxWriter's ``_xHHHH_`` escape; and
    nothing like a placeholder (:data:`MARK`), which a later replacement would change."""
    return (
        text != ""
        and text == text.strip()
        and "_x" not in text
        and MARK not in text
        and _PLAIN.fullmatch(text) is not None
    )


def escape(text: str) -> bytes:
    """Text as XlsxWriter writes it in an element (not an attribute), for :func:`plain` text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()


def number(value: float) -> bytes:
    """A number as XlsxWriter writes it in a cell."""
    return f"<v>{value:.16G}</v>".encode()
