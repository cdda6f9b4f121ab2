"""Pair workbooks drawn once per shape and filled in per pair are the very files a full
drawing gives, and the pairs whose strings could change the file are drawn in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import drawing_pool
from builders.pair import PairContext, render_pair_workbook
from builders.pair_shapes import PairRenderer
from builders.programme import build_programme, create_programme
from tests.conftest import NOW, PAIRS, PEOPLE, START
from toolkit.contract import Contract
from toolkit.errors import WorkbookWriteError
from toolkit.framework import load_framework
from toolkit.identity import PairIdentity

NAMES = [
    ("P001", "M1", "E1", "Grace Wanjiru", "Brian Otieno", "en", "junior"),
    ("P002", "M2", "E2", "Aminata Ndiaye", "Awa Sow", "fr", "junior"),
    ("P003", "M3", "E3", "Peter Kamau", "Lucy Wambui", "en", "junior"),
    ("P004", "M4", "E4", "Ana & João <Lda>", "Zoë Ngũgĩ", "pt", "mid"),
    ("P005", "M5", "E5", "José García", "María López", "es", "mid"),
]
"""Pairs that are filled in: plain names, accents, and XML's escaped characters."""

DRAWN = [
    ("P006", "M6", "E6", "Same Name", "Same Name", "en", "junior"),  # two equal strings
    ("P007", "M7", "E7", " Leading", "Trailing ", "en", "junior"),  # preserved white space
    ("P008", "M8", "E8", "Tab\tin a name", "Bell\x07", "en", "junior"),  # control characters
    ("P009", "M9", "E9", "_x0041_ Escape", "Awa Sow", "en", "junior"),  # XlsxWriter's escape
    ("P010", "M10", "E10", "A" * 61, "Awa Sow", "en", "junior"),  # a taller Start here row
    ("P011", "M11", "E11", "Mentee", "Mentor", "en", "junior"),  # both are labels in the book
    ("P012", "M12", "E12", "{{mentorkit:mentee_name}}", "Awa Sow", "en", "junior"),  # a slot
]
"""Pairs drawn in full: a filled-in template could not be shown to be the same file."""


def _context(contract: Contract, row: tuple[str, ...], revision: int = 1) -> PairContext:
    pair, mentor_id, mentee_id, mentor, mentee, lang, level = row
    identity = PairIdentity("p", "c", pair, mentor_id, mentee_id, revision,
                            "2026-01-05T09:00:00+00:00", contract.version, contract.fingerprint,
                            "0.1.0", lang)  # fmt: skip
    return PairContext(identity, "Programme", mentor, mentee, "c@example.org", level, 12)


@pytest.mark.parametrize("rows, drawn", [(NAMES, 4), (DRAWN, 1 + len(DRAWN))])
def test_filled_templates_are_the_same_files(
    contract: Contract, rows: list[tuple[str, ...]], drawn: int
) -> None:
    """Byte for byte what render_pair_workbook gives; ``drawn`` counts the full drawings:
    one per shape (language and level) and one per pair that cannot be filled in."""
    framework = load_framework()
    renderer = PairRenderer(contract, framework, "s")
    for row in rows:
        ctx = _context(contract, row)
        assert renderer.render(ctx) == render_pair_workbook(ctx, contract, framework, "s"), row
    assert renderer.drawn == drawn


def test_values_and_revisions_are_their_own_shapes(contract: Contract) -> None:
    """A refreshed workbook carrying values is drawn in full; another revision is another
    shape."""
    framework = load_framework()
    renderer = PairRenderer(contract, framework, "s")
    second = _context(contract, NAMES[0], revision=2)
    carried = PairContext(**{**vars(_context(contract, NAMES[1])),
                             "values": {("agreement", "", "goal_1"): "Learn"}})  # fmt: skip
    for ctx in (_context(contract, NAMES[0]), second, carried):
        assert renderer.render(ctx) == render_pair_workbook(ctx, contract, framework, "s")
    assert renderer.drawn == 3


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw in worker processes even the fewest workbooks."""
    monkeypatch.setattr(drawing_pool, "MIN_DRAWINGS", 1)


def test_workers_draw_the_same_files(contract: Contract, pool: None) -> None:
    """Templates, refreshed workbooks with values and pairs drawn in full, through the workers:
    the same bytes, in the same order, as drawn one by one in this process."""
    framework = load_framework()
    contexts = [_context(contract, row) for row in NAMES + DRAWN]
    carried = {("agreement", "", "goal_1"): "Learn"}
    contexts.insert(2, PairContext(**{**vars(contexts[2]), "values": carried}))
    with PairRenderer(contract, framework, "s") as renderer:
        drawn = list(renderer.render_all(contexts))
    assert drawn == [render_pair_workbook(ctx, contract, framework, "s") for ctx in contexts]


def test_parallel_build_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small cohort built with workers forced and without any: the same outbox and files."""
    outboxes = []
    for least in (1, 10_000):
        monkeypatch.setattr(drawing_pool, "MIN_DRAWINGS", least)
        root = tmp_path / f"prog{least}"
        create_programme(
            root, programme_id="test", name="Test Programme", cohort="2026-A",
            start_date=START, people=PEOPLE, pairs=PAIRS, secret="test-secret", now=NOW,
        )  # fmt: skip
        build_programme(root, now=NOW, as_of=START)
        outboxes.append({p.name: p.read_bytes() for p in (root / "outbox").glob("*.xlsx")})
    assert len(outboxes[0]) == len(PAIRS) and outboxes[0] == outboxes[1]


def test_a_worker_that_fails_gives_the_same_error(
    contract: Contract, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook that cannot be written fails with the same message with or without workers
    (the forked workers inherit the failing drawing), naming the pair, not a template."""

    def failing(ctx: PairContext, *_: object) -> bytes:
        raise WorkbookWriteError(f"Could not write the workbook of pair {ctx.identity.pair_id}")

    monkeypatch.setattr(drawing_pool, "render_pair_workbook", failing)
    contexts = [_context(contract, row) for row in DRAWN]
    for least in (1, 10_000):
        monkeypatch.setattr(drawing_pool, "MIN_DRAWINGS", least)
        renderer = PairRenderer(contract, load_framework(), "s")
        with renderer, pytest.raises(WorkbookWriteError) as caught:
            list(renderer.render_all(contexts))
        assert str(caught.value) == "Could not write the workbook of pair P006"
