"""Many pair workbooks at once: each *shape* drawn once, each pair by filling in its slots.

In one build, the workbooks of pairs with the same language, level and revision differ only in
five strings: the pair code, the mentor's and mentee's ids and names (and what is made from
them: the signature, the Guide's first paragraph, the document title). XlsxWriter spends about
25 ms drawing a workbook; :class:`PairRenderer` draws a shape once with a placeholder for each
of those strings (a :class:`~builders.template.Template`) and then, for each pair, puts the
pair's strings into the two parts that hold them (the shared strings and the document
properties) and packs the parts again (about 1 ms).

The result is the same file, byte for byte, as :func:`builders.pair.render_pair_workbook` makes
for that pair (tests/test_pair_shapes.py). When that cannot be shown cheaply (a name that is also
another cell's text, or that needs XML's whitespace or control character escapes, a name long
enough to change a row's height, values carried into a refreshed workbook), the pair is drawn
in full instead, by worker processes when there are many (builders.drawing_pool).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from builders.drawing_pool import Drawings
from builders.guide import WIDTHS, guide_note
from builders.pair import PairContext
from builders.printable import text_height
from builders.template import MARK, Template, escape, plain
from toolkit.contract import Contract
from toolkit.framework import Framework

SLOTS = ("pair_id", "mentor_id", "mentee_id", "mentor_name", "mentee_name")
"""What differs between the workbooks of one shape, each a placeholder in its template."""

FILLED_PARTS = ("xl/sharedStrings.xml", "docProps/core.xml")
"""The only parts that hold those strings; every other part is the same for the whole shape."""

SHORT = 60
"""A Start here value longer than this gets a taller row (builders.pair), so a different file."""


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
                template, data, template.identity.signature(self.secret)
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


class _Shape:
    """One shape's template, with the context and signature its placeholders came from."""

    def __init__(self, template: PairContext, data: bytes, signature: str) -> None:
        self.context = template
        self.template = Template(data, FILLED_PARTS, [_token(k) for k in SLOTS])
        self.signature = signature
        self.note_height = 0.0

    def fits(self, ctx: PairContext, framework: Framework) -> bool:
        """Whether filling this template in gives the very file a full drawing of ``ctx``
        gives (the checks listed in the module's docstring)."""
        strings = [_slot(ctx, k) for k in SLOTS]
        if not all(plain(s) and len(s) <= SHORT for s in strings):
            return False
        note = guide_note(ctx, framework)
        if len(set(strings)) < len(SLOTS) or not all(map(self.template.is_new, [*strings, note])):
            return False
        if not self.note_height:
            self.note_height = _note_height(guide_note(self.context, framework))
        return _note_height(note) == self.note_height

    def fill(self, ctx: PairContext, secret: str) -> bytes:
        """The pair's workbook from this template (for a context that :meth:`fits`)."""
        replace = {escape(_token(k)): escape(_slot(ctx, k)) for k in SLOTS}
        replace[self.signature.encode()] = ctx.identity.signature(secret).encode()
        return self.template.fill(replace)


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
    return f"{MARK}{slot}}}}}"


def _slot(ctx: PairContext, slot: str) -> str:
    return getattr(ctx, slot) if slot.endswith("_name") else getattr(ctx.identity, slot)


def _note_height(note: str) -> float:
    return text_height([note], [sum(WIDTHS)])
