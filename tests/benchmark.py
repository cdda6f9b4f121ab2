"""Benchmark: sync (and, with --build, build) at a given cohort size, each beside baselines
measured in the same run. Run on its own (not collected by pytest):

    python3 tests/benchmark.py                          # sync 1,000 returned workbooks
    python3 tests/benchmark.py --pairs 14 200 --build   # also time build at 14 and 200 pairs
    python3 tests/benchmark.py --json benchmark-results.json

Figures are medians over ``--repeat`` runs; the machines here are shared and noisy, so compare
the ratios (ours / baseline, same run) rather than absolute seconds.

* sync: ``sync_programme`` on one filled return per pair, timed inside a fresh process (so the
  peak memory is the sync's own: its process plus its worker and reader processes), then
  again with nothing new (an empty inbox) and with every file sent again (all duplicates);
  then regenerating master.xlsx from the synced ledger, as ``mentorkit sync`` does after it.
  Baselines, reading the same files: openpyxl in read-only mode (every row of every sheet),
  python-calamine's bare read (every sheet), and the floor of any reader: unzipping every
  sheet and the shared strings and parsing their XML with expat, doing nothing with it.
* build (``--build``): ``build_programme`` (roster → ledger → one pair workbook per pair →
  master), against writing the same cell values with openpyxl (values only).
* match (``--match MENTEES MENTORS``, default 500 200; ``--match 0 0`` skips it): the matching
  engine (an assignment solver over the whole cohort) against a greedy baseline on the same
  generated roster, with both total scores (``tests/benchmark_matching.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
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

from builders.programme import build_programme, create_programme  # noqa: E402
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


def measure_build(pairs: int, repeat: int, base: Path) -> dict[str, object]:
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
    med = statistics.median
    return {
        "pairs": pairs,
        "build_s": round(med(build_s), 3),
        "build_openpyxl_values_only_s": round(med(base_s), 3),
        "build_ratio": round(med(build_s) / med(base_s), 2),
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


def timed_sync(root: Path) -> dict[str, float]:
    """Run one sync in a fresh process; its time (imports excluded) and peak memory."""
    code = (
        "import json, resource, sys, time, datetime as dt\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from sync.run import sync_programme\n"
        "t = time.perf_counter()\n"
        f"r = sync_programme(__import__('pathlib').Path({str(root)!r}), "
        "now=dt.datetime(2026, 4, 10, 9, tzinfo=dt.timezone.utc))\n"
        "t = time.perf_counter() - t\n"
        "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "try:  # the process's own high-water mark: ru_maxrss keeps the parent's across exec\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    me = int(status.split()[0]) / 1024\n"
        "except (OSError, IndexError, ValueError):\n"
        "    pass\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'s': t, 'files': len(r.files), 'peak_mb': me, 'child_peak_mb': kids,"
        " 'accepted': r.count('accepted')}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    sync_s, resync_s, again_s, peaks, kid_peaks = [], [], [], [], []
    floor_s, opx_s, xml_s, master_s = [], [], [], []
    for _ in range(repeat):
        for p in returns:
            shutil.copy(p, root / "inbox" / p.name)
        first = timed_sync(root)
        assert first["accepted"] == pairs, first
        sync_s.append(first["s"])
        peaks.append(first["peak_mb"])
        kid_peaks.append(first["child_peak_mb"])
        resync_s.append(timed_sync(root)["s"])  # nothing new: the inbox is empty
        for p in returns:  # every file again: all duplicates
            shutil.copy(p, root / "inbox" / f"again {p.name}")
        again_s.append(timed_sync(root)["s"])
        master_s.append(timed(lambda: regenerate_master(root)))
        floor_s.append(timed(lambda: calamine_floor(returns)))
        opx_s.append(timed(lambda: openpyxl_read_only(returns)))
        xml_s.append(timed(lambda: xml_floor(returns)))
        for extra in ("mentorkit.db-wal", "mentorkit.db-shm"):
            (root / extra).unlink(missing_ok=True)
        shutil.copy(base / "ledger-before.db", root / "mentorkit.db")
        shutil.rmtree(root / "archive")
        (root / "archive").mkdir()
        shutil.rmtree(root / "outbox" / "receipts", ignore_errors=True)
    med = statistics.median
    sync = med(sync_s)
    return {
        "pairs": pairs,
        "sync_s": round(sync, 3),
        "resync_nothing_new_s": round(med(resync_s), 3),
        "resync_all_duplicates_s": round(med(again_s), 3),
        "master_after_sync_s": round(med(master_s), 3),
        "peak_rss_mb": round(med(peaks), 1),
        "peak_rss_workers_mb": round(med(kid_peaks), 1),
        "openpyxl_read_only_s": round(med(opx_s), 3),
        "calamine_bare_s": round(med(floor_s), 3),
        "unzip_xml_floor_s": round(med(xml_s), 3),
        "ratio_vs_openpyxl": round(sync / med(opx_s), 2),
        "ratio_vs_calamine": round(sync / med(floor_s), 2),
        "ratio_vs_xml_floor": round(sync / med(xml_s), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", action="store_true", help="also benchmark build")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--match", type=int, nargs=2, default=[500, 200], metavar=("MENTEES", "MENTORS"),
        help="also benchmark matching at this size (0 0 skips it)",
    )  # fmt: skip
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mentorkit-bench-") as tmp:
        for pairs in args.pairs:
            row = measure_sync(pairs, args.repeat, Path(tmp))
            if args.build:
                row |= measure_build(pairs, args.repeat, Path(tmp))
            rows.append(row)
    if all(args.match):
        from tests.benchmark_matching import bench_matching

        rows.append(bench_matching(*args.match))
    for row in rows:
        title = f"{row['pairs']} pairs" if "pairs" in row else "matching"
        print(f"--- {title} ---")
        for key, value in row.items():
            print(f"  {key:<30} {value}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
