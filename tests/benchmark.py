"""Benchmark: build and sync at a given cohort size, each beside a baseline measured in the same
run. Run on its own (not collected by pytest):

    python3 tests/benchmark.py                 # 14 pairs (the demo cohort) and 200 pairs
    python3 tests/benchmark.py --pairs 14 500 --repeat 5 --json benchmark-results.json

Figures are medians over ``--repeat`` runs; the machines here are shared and noisy, so compare
the ratios (ours / baseline, same run) rather than absolute seconds.

* build: ``build_programme`` (roster → ledger → one pair workbook per pair → master), against a
  baseline that writes the same cell values (no formats, validations or protection) with
  openpyxl, the usual alternative writer.
* sync: ``sync_programme`` on one filled return per pair, against python-calamine's bare read of
  every sheet of the same files (the floor of any reader).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from builders.programme import build_programme, create_programme  # noqa: E402
from sync.run import sync_programme  # noqa: E402
from toolkit.cli.fill import PairWorkbookFiller  # noqa: E402
from toolkit.contract import load_contract  # noqa: E402

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
LATER = dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
COUNTRIES = [("KE", "en"), ("SN", "fr"), ("CD", "fr"), ("MZ", "pt"), ("CO", "es")]


def roster(pairs: int) -> tuple[list[tuple[str, ...]], list[tuple[str, str]]]:
    people, typed = [], []
    for i in range(pairs):
        country, lang = COUNTRIES[i % len(COUNTRIES)]
        mentor, mentee = f"M{i:04d}", f"E{i:04d}"
        people.append(
            (
                mentor,
                f"Mentor {i}",
                f"m{i}@example.org",
                "mentor",
                country,
                "Office",
                "Health",
                "senior",
                f"{lang}, en",
                "female",
                "",
                "evaluation",
            )
        )
        people.append(
            (
                mentee,
                f"Mentee {i}",
                f"e{i}@example.org",
                "mentee",
                country,
                "Office",
                "Health",
                ("junior", "mid")[i % 2],
                lang,
                "male",
                "",
                "data",
            )
        )
        typed.append((mentor, mentee))  # fmt: skip
    return people, typed


def new_programme(base: Path, pairs: int) -> Path:
    root = base / f"p{pairs}"
    shutil.rmtree(root, ignore_errors=True)
    people, typed = roster(pairs)
    create_programme(root, programme_id="bench", people=people, pairs=typed,
                     start_date=dt.date(2026, 1, 1), secret="s", now=NOW)  # fmt: skip
    # Benchmark all four languages.
    config = root / "programme.yaml"
    config.write_text(config.read_text().replace("[en, fr]", "[en, fr, es, pt]"))
    return root


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def openpyxl_baseline(paths: list[Path], out: Path) -> None:
    """Write the same cell values as our workbooks with openpyxl (values only)."""
    for i, path in enumerate(paths):
        src = CalamineWorkbook.from_path(str(path))
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name in src.sheet_names:
            ws = wb.create_sheet(name)
            for row in src.get_sheet_by_name(name).to_python():
                ws.append([v if v != "" else None for v in row])
        wb.save(out / f"{i}.xlsx")


def calamine_floor(paths: list[Path]) -> None:
    for path in paths:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()


def fill_returns(root: Path, built) -> list[Path]:
    contract = load_contract()
    returns = []
    for w in built.workbooks:
        f = PairWorkbookFiller(w.path, contract, w.language)
        f.set("agreement", "goal_1", "Design a results framework")
        f.set("agreement", "meeting_mode", "video")
        for month in ("1", "2", "3"):
            f.set("sessions", "session_date", dt.date(2026, int(month), 15), month)
            f.set("sessions", "minutes", 90, month)
            f.set("sessions", "attendance", "both", month)
        for code in f.row_keys("competencies"):
            f.set("competencies", "baseline", "2", code)
            f.set("competencies", "q1", "3", code)
        f.set("reflection", "mentee_satisfaction", "4", "Q1")
        path = root.parent / f"returns-{root.name}" / f"{w.pair_id}.xlsx"
        f.save(path, saved_at=LATER)
        returns.append(path)
    return returns


def measure(pairs: int, repeat: int, base: Path) -> dict[str, object]:
    build_s, base_s, sizes = [], [], []
    for _ in range(repeat):
        root = new_programme(base, pairs)
        t = timed(lambda root=root: build_programme(root, now=NOW))
        build_s.append(t)
        paths = sorted((root / "outbox").glob("*.xlsx"))
        sizes = [p.stat().st_size for p in paths]
        out = base / "openpyxl"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        base_s.append(timed(lambda paths=paths, out=out: openpyxl_baseline(paths, out)))
    root = new_programme(base, pairs)
    built = build_programme(root, now=NOW)
    returns = fill_returns(root, built)
    sync_s, floor_s, resync_s = [], [], []
    for _ in range(repeat):
        shutil.copy(root / "mentorkit.db", base / "ledger-before.db")
        for p in returns:
            shutil.copy(p, root / "inbox" / p.name)
        sync_s.append(timed(lambda: sync_programme(root, now=LATER)))
        resync_s.append(timed(lambda: sync_programme(root, now=LATER)))
        floor_s.append(timed(lambda: calamine_floor(returns)))
        shutil.copy(base / "ledger-before.db", root / "mentorkit.db")
        shutil.rmtree(root / "archive")
        (root / "archive").mkdir()
    med = statistics.median
    return {
        "pairs": pairs,
        "build_s": round(med(build_s), 3),
        "build_openpyxl_values_only_s": round(med(base_s), 3),
        "build_ratio": round(med(build_s) / med(base_s), 2),
        "workbook_bytes_median": int(med(sizes)),
        "workbook_bytes_max": max(sizes),
        "sync_s": round(med(sync_s), 3),
        "sync_calamine_floor_s": round(med(floor_s), 3),
        "sync_ratio": round(med(sync_s) / med(floor_s), 2),
        "resync_nothing_new_s": round(med(resync_s), 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[14, 200])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mentorkit-bench-") as tmp:
        for pairs in args.pairs:
            rows.append(measure(pairs, args.repeat, Path(tmp)))
    keys = list(rows[0])
    print(" | ".join(f"{k:>14}" for k in keys))
    for row in rows:
        print(" | ".join(f"{row[k]!s:>14}" for k in keys))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
