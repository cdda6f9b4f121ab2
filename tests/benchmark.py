"""Benchmark: build, sync and matching at the cohort sizes given, each figure beside
baselines measured in the same run, with the machine it ran on. Run on its own (not collected
by pytest); it prints a table (Markdown, ready for the README) and writes the figures as JSON:

    python3 tests/benchmark.py                          # 1,000 pairs; benchmark-results.json
    python3 tests/benchmark.py --pairs 14 200 --repeat 1 --json /tmp/bench.json
    python3 tests/benchmark.py --match 0 0              # no matching

Figures are medians over ``--repeat`` runs (default 3); the machines here are shared and noisy,
so compare the ratios (ours / baseline, same run) rather than absolute seconds. Each of our
steps runs in a fresh process, so its peak memory (VmHWM) is its own, and that of its largest
worker process is given beside it.

* build: ``build_programme`` on a new programme (roster -> ledger -> one pair workbook per pair
  in four languages -> master.xlsx). Baselines, writing the same files: openpyxl writing the
  same cell values (values only: no formats, validations or protection, so less than our
  workbooks hold), and the floor of any writer: zipping the same XML parts at the same
  compression and writing the files, with no rendering at all.
* sync: ``sync_programme`` on one filled return per pair, with a receipt for each as
  ``mentorkit sync`` writes them, and again without receipts; then with nothing new (an empty
  inbox) and with every file sent again (all duplicates); then regenerating master.xlsx, as
  ``mentorkit sync`` does after it. Baselines, reading the same files: openpyxl in read-only
  mode (every row of every sheet), python-calamine's bare read, and the floor of any reader:
  unzipping every sheet and the shared strings and parsing their XML with expat.
* match (``--match MENTEES MENTORS``, default 500 200; ``0 0`` skips it): the matching
  engine (an assignment solver over the whole cohort) against a greedy baseline on the same
  generated roster, with both total scores (``tests/benchmark_matching.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.parsers import expat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from builders.package import unpack  # noqa: E402
from builders.programme import build_programme, create_programme  # noqa: E402
from tests.benchmark_env import in_fresh_process, machine  # noqa: E402
from toolkit.contract import load_contract  # noqa: E402
from toolkit.demo.fill import PairWorkbookFiller  # noqa: E402

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


def cell_values(paths: list[Path]) -> list[list[tuple[str, list[list[object]]]]]:
    """Every sheet's cell values of each workbook, read before the openpyxl baseline."""
    books = []
    for path in paths:
        src = CalamineWorkbook.from_path(str(path))
        books.append([
            (name, [[v if v != "" else None for v in row]
                    for row in src.get_sheet_by_name(name).to_python()])
            for name in src.sheet_names
        ])  # fmt: skip
    return books


def openpyxl_baseline(books: list[list[tuple[str, list[list[object]]]]], out: Path) -> None:
    """Write the same cell values as our workbooks with openpyxl (values only)."""
    for i, sheets in enumerate(books):
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in sheets:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        wb.save(out / f"{i}.xlsx")


def zip_floor(parts: list[list[tuple[str, bytes]]], out: Path) -> None:
    """The floor of any writer: the same XML parts zipped at the same compression (deflate,
    level 9) and written to files, with no rendering."""
    for i, members in enumerate(parts):
        with zipfile.ZipFile(out / f"{i}.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for name, body in members:
                zf.writestr(name, body)


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


def timed_build(root: Path) -> dict[str, float]:
    """Run one build in a fresh process: its time (imports excluded) and peak memory."""
    return in_fresh_process(
        "from builders.programme import build_programme\n"
        "t = time.perf_counter()\n"
        f"r = build_programme(Path({str(root)!r}), now=dt.datetime(2026, 1, 5, 9, "
        "tzinfo=dt.timezone.utc))\n"
        "t = time.perf_counter() - t\n"
        "extra = {'workbooks': len(r.workbooks)}\n"
    )


def measure_build(pairs: int, repeat: int, base: Path) -> dict[str, object]:
    build_s, peaks, kid_peaks, opx_s, floor_s = [], [], [], [], []
    sizes: list[int] = []
    for _ in range(repeat):
        root = new_programme(base, pairs)
        run = timed_build(root)
        assert run["workbooks"] == pairs, run
        build_s.append(run["s"])
        peaks.append(run["peak_mb"])
        kid_peaks.append(run["child_peak_mb"])
        paths = sorted((root / "outbox").glob("*.xlsx"))
        sizes = [p.stat().st_size for p in paths]
        books = cell_values(paths)
        parts = [[(name, body) for name, _, body in unpack(p.read_bytes())] for p in paths]
        out = base / "baseline"
        for step, times, what in ((openpyxl_baseline, opx_s, books), (zip_floor, floor_s, parts)):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            times.append(timed(lambda step=step, what=what, out=out: step(what, out)))
    med = statistics.median
    build = med(build_s)
    return {
        "build_s": round(build, 3),
        "build_peak_mb": round(med(peaks), 1),
        "build_worker_peak_mb": round(med(kid_peaks), 1),
        "build_openpyxl_values_only_s": round(med(opx_s), 3),
        "build_zip_floor_s": round(med(floor_s), 3),
        "build_ratio_vs_openpyxl": round(build / med(opx_s), 2),
        "build_ratio_vs_floor": round(build / med(floor_s), 2),
        "workbook_bytes_median": int(med(sizes)),
        "workbook_bytes_max": max(sizes),
    }


def openpyxl_read_only(paths: list[Path]) -> None:
    for path in paths:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()


def xml_floor(paths: list[Path]) -> None:
    """Unzip every sheet and the shared strings and parse their XML, doing nothing else."""
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                    expat.ParserCreate().Parse(zf.read(name), True)


def timed_sync(root: Path, receipts: bool = False) -> dict[str, float]:
    """Run one sync in a fresh process (with a receipt per file, as ``mentorkit sync`` writes
    them, or without): its time (imports excluded) and peak memory."""
    return in_fresh_process(
        "from builders.receipt import ReceiptWriter\n"
        "from sync.run import sync_programme\n"
        f"root = Path({str(root)!r})\n"
        "t = time.perf_counter()\n"
        f"r = sync_programme(root, receipts=ReceiptWriter(root) if {receipts} else None, "
        "now=dt.datetime(2026, 4, 10, 9, tzinfo=dt.timezone.utc))\n"
        "t = time.perf_counter() - t\n"
        "extra = {'files': len(r.files), 'accepted': r.count('accepted')}\n"
    )


def regenerate_master(root: Path) -> None:
    """What 'mentorkit sync' does after a sync: master.xlsx from the ledger (indicators by
    quarter and breakdown, dashboard, follow-up list, framework sheets)."""
    from builders.master import write_master
    from toolkit.framework import framework_for
    from toolkit.ledger import Ledger
    from toolkit.programme import ProgrammeFolder, load_programme

    folder = ProgrammeFolder(root)
    programme = load_programme(folder.config)
    with Ledger(folder.ledger) as ledger:
        write_master(folder, ledger, programme, framework_for(root, programme),
                     as_of=dt.date(2026, 4, 20), now=NOW)  # fmt: skip


def measure_sync(pairs: int, repeat: int, base: Path) -> dict[str, object]:
    root = new_programme(base, pairs)
    built = build_programme(root, now=NOW)
    returns = fill_returns(root, built)
    shutil.copy(root / "mentorkit.db", base / "ledger-before.db")
    runs: dict[str, list[float]] = {}

    def keep(name: str, value: float) -> None:
        runs.setdefault(name, []).append(value)

    def restore() -> None:
        for extra in ("mentorkit.db-wal", "mentorkit.db-shm"):
            (root / extra).unlink(missing_ok=True)
        shutil.copy(base / "ledger-before.db", root / "mentorkit.db")
        shutil.rmtree(root / "archive")
        (root / "archive").mkdir()
        shutil.rmtree(root / "outbox" / "receipts", ignore_errors=True)

    for _ in range(repeat):
        for receipts in (False, True):  # the one with receipts last: the resyncs follow it
            restore()
            for p in returns:
                shutil.copy(p, root / "inbox" / p.name)
            first = timed_sync(root, receipts=receipts)
            assert first["accepted"] == pairs, first
            name = "sync_receipts" if receipts else "sync"
            keep(f"{name}_s", first["s"])
            keep(f"{name}_peak_mb", first["peak_mb"])
            keep(f"{name}_worker_peak_mb", first["child_peak_mb"])
        again = timed_sync(root)  # nothing new: the inbox is empty
        keep("resync_nothing_new_s", again["s"])
        keep("resync_nothing_new_peak_mb", again["peak_mb"])
        for p in returns:  # every file again: all duplicates
            shutil.copy(p, root / "inbox" / f"again {p.name}")
        again = timed_sync(root, receipts=True)
        keep("resync_all_duplicates_s", again["s"])
        keep("resync_all_duplicates_peak_mb", again["peak_mb"])
        keep("master_after_sync_s", timed(lambda: regenerate_master(root)))
        keep("openpyxl_read_only_s", timed(lambda: openpyxl_read_only(returns)))
        keep("calamine_bare_s", timed(lambda: calamine_floor(returns)))
        keep("unzip_xml_floor_s", timed(lambda: xml_floor(returns)))
        restore()
    row: dict[str, object] = {
        k: round(statistics.median(v), 1 if k.endswith("_mb") else 3) for k, v in runs.items()
    }
    for name in ("sync", "sync_receipts"):
        for base_name in ("openpyxl_read_only", "calamine_bare", "unzip_xml_floor"):
            ratio = statistics.median(runs[f"{name}_s"]) / statistics.median(runs[f"{base_name}_s"])
            row[f"{name}_ratio_vs_{base_name}"] = round(ratio, 2)
    return row


GOALS = {"build_s": 6.0, "sync_receipts_s": 5.0, "workbook_bytes_max": 25 * 1024}
"""The issue's goals at 1,000 pairs: build and sync in seconds, a pair workbook in bytes."""


def table(rows: list[dict[str, object]], env: dict[str, object], repeat: int) -> str:
    """The figures as a Markdown table, each beside its baselines, with the machine."""
    averages = (env["load_average"], env["load_average_after"])
    load, after = (" ".join(str(x) for x in a) for a in averages)  # type: ignore[attr-defined]
    lines = [
        f"Measured {env['date']} on {env['cpu']}, {env['cores']} cores, "
        f"{env['memory_gib']} GiB RAM, {env['os']}, Python {env['python']}; load average "
        f"{load} (1, 5, 15 min) at the start, {after} at the end. "
        f"Medians of {repeat}.",
        "",
        "| step | seconds | peak MB (worker) | beside it, same run | seconds | ours / it |",
        "| --- | --- | --- | --- | --- | --- |",
    ]

    goals: list[str] = []

    def add(step: str, s: object, peak: str, rest: list[tuple[str, object, object]]) -> None:
        first, *others = rest or [("", "", "")]
        lines.append(f"| {step} | {s} | {peak} | {first[0]} | {first[1]} | {first[2]} |")
        lines.extend(f"| | | | {a} | {b} | {c} |" for a, b, c in others)

    for r in rows:
        if "mentees" in r:
            add(
                f"match {r['mentees']} mentees to {r['mentors']} mentors ({r['places']} places),"
                f" total score {r['engine_total_score']:,.1f}",
                r["engine_seconds"],
                str(r["peak_rss_mb"]),
                [
                    (
                        f"greedy, best pair first (total score {r['greedy_total_score']:,.1f})",
                        r["greedy_seconds"],
                        round(r["engine_seconds"] / r["greedy_seconds"], 2),
                    )
                ],
            )
            continue
        n = f"{r['pairs']:,}"
        if "build_s" in r:
            add(
                f"build: {n} pair workbooks and master.xlsx",
                r["build_s"],
                f"{r['build_peak_mb']} ({r['build_worker_peak_mb']})",
                [
                    (
                        "openpyxl writing the same cell values",
                        r["build_openpyxl_values_only_s"],
                        r["build_ratio_vs_openpyxl"],
                    ),
                    (
                        "floor: zipping the same XML parts",
                        r["build_zip_floor_s"],
                        r["build_ratio_vs_floor"],
                    ),
                ],
            )
            add(
                "a pair workbook's size, median (largest)",
                f"{r['workbook_bytes_median']:,} B ({r['workbook_bytes_max']:,} B)",
                "",
                [],
            )
        readers = [
            ("openpyxl, read-only, reading the same files", "openpyxl_read_only"),
            ("python-calamine alone", "calamine_bare"),
            ("floor: unzipping and parsing the XML", "unzip_xml_floor"),
        ]
        for name, what in (
            ("sync_receipts", f"sync: {n} returns, a receipt for each"),
            ("sync", f"sync: {n} returns, no receipts"),
        ):
            add(
                what,
                r[f"{name}_s"],
                f"{r[f'{name}_peak_mb']} ({r[f'{name}_worker_peak_mb']})",
                [(label, r[f"{key}_s"], r[f"{name}_ratio_vs_{key}"]) for label, key in readers],
            )
        add(
            "sync again, nothing new",
            r["resync_nothing_new_s"],
            str(r["resync_nothing_new_peak_mb"]),
            [],
        )
        add(
            f"sync again, all {n} files already received",
            r["resync_all_duplicates_s"],
            str(r["resync_all_duplicates_peak_mb"]),
            [],
        )
        add("regenerating master.xlsx after the sync", r["master_after_sync_s"], "", [])
        if r["pairs"] == 1000:
            goals = ["", *_goals(r)]
    return "\n".join(lines + goals)


def _goals(r: dict[str, object]) -> list[str]:
    said = {"build_s": "build <= 6 s", "sync_receipts_s": "sync <= 5 s (with receipts)",
            "workbook_bytes_max": "a pair workbook <= 25 KB"}  # fmt: skip
    return [
        f"Goal {said[key]}: {'met' if float(str(r[key])) <= goal else 'NOT met'} ({r[key]})"
        for key, goal in GOALS.items()
        if key in r
    ]


def match_in_fresh_process(mentees: int, mentors: int, repeat: int) -> dict[str, object]:
    """bench_matching in its own process, so that its peak memory is its own."""
    run = in_fresh_process(
        "from tests.benchmark_matching import bench_matching\n"
        f"extra = bench_matching({mentees}, {mentors}, {repeat})\n"
        "t = extra['engine_seconds']\n"
    )
    return {**run, "peak_rss_mb": round(run["peak_mb"], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--json",
        type=Path,
        default=Path("benchmark-results.json"),
        help="where to write the figures (default: benchmark-results.json)",
    )
    parser.add_argument(
        "--match", type=int, nargs=2, default=[500, 200], metavar=("MENTEES", "MENTORS"),
        help="also benchmark matching at this size (0 0 skips it)",
    )  # fmt: skip
    args = parser.parse_args()
    env = machine()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="mentorkit-bench-") as tmp:
        for pairs in args.pairs:
            row: dict[str, object] = {"pairs": pairs}
            row |= measure_build(pairs, args.repeat, Path(tmp))
            row |= measure_sync(pairs, args.repeat, Path(tmp))
            rows.append(row)
    if all(args.match):
        rows.append(match_in_fresh_process(*args.match, args.repeat))
    env["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(table(rows, env, args.repeat))
    args.json.write_text(
        json.dumps({"machine": env, "repeat": args.repeat, "results": rows}, indent=2) + "\n"
    )
    print(f"\nWrote {args.json}")


if __name__ == "__main__":
    main()
