"""Many pair workbooks at once: each *shape* rendered once, each pair by filling in its slots.

In one build, the workbooks of pairs with the same language, level and revision differ only in
five strings: the pair code, the mentor's and mentee's ids and names (and what is made from
them: the signature, the Guide's first paragraph, the document title). XlsxWriter spends about
25 ms drawing a workbook; :class:`PairRenderer` draws a shape once with a placeholder for each
of those strings and then, for each pair, puts the pair's strings into the two parts that hold
them (the shared strings and the document properties) and packs the parts again (about 3 ms).

The result is the same file, byte for byte, as :func:`builders.pair.render_pair_workbook` makes
for that pair (a test checks it): a shared string's place in the table depends only on the order
in which strings are first written, so the slots keep their places as long as each of the
pair's strings is new to the workbook. When that cannot be shown cheaply (a name that is also
another cell's text, or that needs XML's whitespace or control character escapes, a name long
enough to change a row's height, values carried into a refreshed workbook), the pair is drawn
in full instead.
"""

from __future__ import annotations

import dataclasses
import re

from builders.guide import WIDTHS, guide_note
from builders.pair import PairContext, render_pair_workbook
from builders.printable import text_height
from builders.xlsx import Member, pack, unpack
from toolkit.contract import Contract
from toolkit.framework import Framework

SLOTS = ("pair_id", "mentor_id", "mentee_id", "mentor_name", "mentee_name")
"""What differs between the workbooks of one shape, each a placeholder in its template."""

FILLED_PARTS = ("xl/sharedStrings.xml", "docProps/core.xml")
"""The only parts that hold those strings; every other part is the same for the whole shape."""

SHORT = 60
"""A Start here value longer than this gets a taller row (builders.pair), so a different file."""

_PLAIN = re.compile(r"[^\x00-\x1f\ufffe\uffff]*")
_SHARED = re.compile(rb"<si><t(?: [^>]*)?>(.*?)</t></si>", re.S)


class PairRenderer:
    """Renders the pair workbooks of one build, drawing each shape once."""

    def __init__(self, contract: Contract, framework: Framework, secret: str) -> None:
        self.contract = contract
        self.framework = framework
        self.secret = secret
        self._shapes: dict[tuple[object, ...], _Shape] = {}
        self.drawn = 0
        """How many workbooks were drawn in full (templates included), for tests and profiling."""

    def render(self, ctx: PairContext) -> bytes:
        """The pair's workbook as .xlsx bytes, the same as ``render_pair_workbook`` gives."""
        if not ctx.values:
            key = _shape_key(ctx)
            shape = self._shapes.get(key)
            if shape is None:
                shape = self._shapes[key] = self._shape(ctx)
            data = shape.fill(ctx, self.framework, self.secret)
            if data is not None:
                return data
        self.drawn += 1
        return render_pair_workbook(ctx, self.contract, self.framework, self.secret)

    def _shape(self, ctx: PairContext) -> _Shape:
        template = _placeholders(ctx)
        self.drawn += 1
        data = render_pair_workbook(template, self.contract, self.framework, self.secret)
        return _Shape(template, unpack(data), template.identity.signature(self.secret))


@dataclasses.dataclass
class _Shape:
    """One shape's template: its context with placeholders, its parts, its signature."""

    template: PairContext
    members: list[Member]
    signature: str
    literals: set[bytes] = dataclasses.field(init=False)
    note_height: float = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        shared = dict((name, body) for name, _, body in self.members)[FILLED_PARTS[0]]
        # Every string of the template that is not made from a slot: a pair's string equal
        # to one of them would share its place in the table, and the file would differ.
        self.literals = {
            s for s in _SHARED.findall(shared) if not any(_token(k).encode() in s for k in SLOTS)
        }
        self.note_height = 0.0

    def fill(self, ctx: PairContext, framework: Framework, secret: str) -> bytes | None:
        """The pair's workbook from this template; None when it may not be the same file."""
        strings = {_token(k): _slot(ctx, k) for k in SLOTS}
        if not all(_safe(s) for s in strings.values()) or len(set(strings.values())) < len(SLOTS):
            return None
        escaped = {k.encode(): _escape(v).encode() for k, v in strings.items()}
        note = guide_note(ctx, framework)
        if any(v in self.literals for v in [*escaped.values(), _escape(note).encode()]):
            return None
        if not self.note_height:
            self.note_height = _note_height(guide_note(self.template, framework))
        if _note_height(note) != self.note_height:
            return None
        escaped[self.signature.encode()] = ctx.identity.signature(secret).encode()
        return pack([
            (name, when, _replace(body, escaped) if name in FILLED_PARTS else body)
            for name, when, body in self.members
        ])  # fmt: skip


def _shape_key(ctx: PairContext) -> tuple[object, ...]:
    """Everything a pair workbook shows but its slots (no values: see ``render``)."""
    return (_placeholders(ctx).identity, ctx.programme_name, ctx.coordinator, ctx.level,
            ctx.months)  # fmt: skip


def _placeholders(ctx: PairContext) -> PairContext:
    ident = dataclasses.replace(
        ctx.identity,
        pair_id=_token("pair_id"),
        mentor_id=_token("mentor_id"),
        mentee_id=_token("mentee_id"),
    )
    return dataclasses.replace(
        ctx, identity=ident, mentor_name=_token("mentor_name"),
        mentee_name=_token("mentee_name"), values={},
    )  # fmt: skip


def _token(slot: str) -> str:
    return f"{{{{mentorkit:{slot}}}}}"


def _slot(ctx: PairContext, slot: str) -> str:
    return getattr(ctx, slot) if slot.endswith("_name") else getattr(ctx.identity, slot)


def _safe(text: str) -> bool:
    """Written by XlsxWriter as itself (XML's three escapes aside) and on a row of the usual
    height: no leading or trailing white space, no control characters, nothing like XlsxWriter's
    ``_xHHHH_`` escape, not longer than a Start here row holds."""
    return (
        0 < len(text) <= SHORT
        and text == text.strip()
        and "_x" not in text
        and _PLAIN.fullmatch(text) is not None
    )


def _escape(text: str) -> str:
    """XlsxWriter's escaping of text in an element (not in an attribute)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _replace(body: bytes, strings: dict[bytes, bytes]) -> bytes:
    for old, new in strings.items():
        body = body.replace(old, new)
    return body


def _note_height(note: str) -> float:
    return text_height([note], [sum(WIDTHS)])
