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
from collections.abc import Iterator

from builders.drawing_pool import Drawings
from builders.guide import WIDTHS, guide_note
from builders.package import Member, Part, compress, pack, unpack
from builders.pair import PairContext
from builders.printable import text_height
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
    """Renders the pair workbooks of one build, drawing each shape once; what must be drawn
    in full is drawn by worker processes when there is enough of it (builders.drawing_pool).
    Use as a context manager."""

    def __init__(self, contract: Contract, framework: Framework, secret: str) -> None:
        self.framework = framework
        self.secret = secret
        self._drawings = Drawings(contract, framework, secret)
        self._shapes: dict[tuple[object, ...], _Shape | None] = {}
        self.drawn = 0
        """How many workbooks were drawn in full (templates included), for tests and profiling."""

    def __enter__(self) -> PairRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._drawings.close()

    def render(self, ctx: PairContext) -> bytes:
        """The pair's workbook as .xlsx bytes, the same as ``render_pair_workbook`` gives."""
        return next(self.render_all([ctx]))

    def render_all(self, contexts: list[PairContext]) -> Iterator[bytes]:
        """Each pair's workbook, in order: the same bytes as :meth:`render` gives each."""
        keys = [None if ctx.values else _shape_key(ctx) for ctx in contexts]
        new = {k: _placeholders(c) for k, c in zip(keys, contexts, strict=True)
               if k is not None and k not in self._shapes}  # fmt: skip
        self.drawn += len(new)
        for key, data in zip(new, self._drawings.attempt(list(new.values())), strict=True):
            # A template that cannot be written: its pairs are drawn in full, and the first
            # fails with the message that names it.
            template = new[key]
            self._shapes[key] = None if data is None else _Shape(
                template, unpack(data), template.identity.signature(self.secret)
            )  # fmt: skip
        shapes = [self._shape_for(ctx, k) for k, ctx in zip(keys, contexts, strict=True)]
        full = [c for c, s in zip(contexts, shapes, strict=True) if s is None]
        self.drawn += len(full)
        drawn = self._drawings.draw(full)
        for ctx, shape in zip(contexts, shapes, strict=True):
            yield shape.fill(ctx, self.secret) if shape else next(drawn)

    def _shape_for(self, ctx: PairContext, key: tuple[object, ...] | None) -> _Shape | None:
        shape = self._shapes.get(key) if key is not None else None
        return shape if shape is not None and shape.fits(ctx, self.framework) else None


@dataclasses.dataclass
class _Shape:
    """One shape's template: its context with placeholders, its parts, its signature."""

    template: PairContext
    members: list[Member]
    signature: str
    parts: list[Member | Part] = dataclasses.field(init=False)
    """The parts as a pair's package takes them: the same for every pair compressed once."""
    literals: set[bytes] = dataclasses.field(init=False)
    note_height: float = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.parts = [m if m[0] in FILLED_PARTS else compress(m) for m in self.members]
        shared = dict((name, body) for name, _, body in self.members)[FILLED_PARTS[0]]
        # Every string of the template that is not made from a slot: a pair's string equal
        # to one of them would share its place in the table, and the file would differ.
        self.literals = {
            s for s in _SHARED.findall(shared) if not any(_token(k).encode() in s for k in SLOTS)
        }
        self.note_height = 0.0

    def fits(self, ctx: PairContext, framework: Framework) -> bool:
        """Whether filling this template in gives the very file a full drawing of ``ctx``
        gives (the checks listed in the module's docstring)."""
        strings = [_slot(ctx, k) for k in SLOTS]
        if not all(_safe(s) for s in strings) or len(set(strings)) < len(SLOTS):
            return False
        note = guide_note(ctx, framework)
        if any(_escape(s).encode() in self.literals for s in [*strings, note]):
            return False
        if not self.note_height:
            self.note_height = _note_height(guide_note(self.template, framework))
        return _note_height(note) == self.note_height

    def fill(self, ctx: PairContext, secret: str) -> bytes:
        """The pair's workbook from this template (for a context that :meth:`fits`)."""
        escaped = {_token(k).encode(): _escape(_slot(ctx, k)).encode() for k in SLOTS}
        escaped[self.signature.encode()] = ctx.identity.signature(secret).encode()
        return pack([
            (p[0], p[1], _replace(p[2], escaped)) if isinstance(p, tuple) else p
            for p in self.parts
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
