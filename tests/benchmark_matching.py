"""Benchmark of the matching engine against a greedy baseline, measured in the same run.

Run on its own (not collected by pytest):

    python3 tests/benchmark_matching.py                          # 500 mentees, 200 mentors
    python3 tests/benchmark_matching.py --mentees 120 --mentors 50 --repeat 5 --json m.json

* engine: :func:`toolkit.matching.propose` on a generated roster (5 countries, 3 languages,
  line managers, preferences, capacities): hard constraints, scores, the assignment solver,
  alternatives, unmatched reasons and fairness. Median of ``repeat`` runs.
* greedy: the usual alternative, on the same cohort: every feasible pair scored the same way,
  then taken best first while mentor and mentee are both free. Same hard constraints, so the
  difference is what optimising the whole cohort at once buys.

The goal is 500 mentees x 200 mentors under 5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.matching_data import generate_people  # noqa: E402
from toolkit.framework import load_framework  # noqa: E402
from toolkit.matching import Cohort, Rules, Settings, plan_cohort, propose  # noqa: E402
from toolkit.roster import Roster  # noqa: E402


def greedy(cohort: Cohort, settings: Settings) -> tuple[int, float]:
    """Best-pair-first greedy matching: (pairs matched, total score)."""
    rules = Rules(cohort, settings)
    scored = [
        rules.score(m, e)
        for e in cohort.mentees
        for m in cohort.mentors
        if cohort.free[m] > 0 and rules.blocking(m, e) is None
    ]
    scored.sort(key=lambda s: (-s.total, s.mentee_id, s.mentor_id))
    free, matched, total = dict(cohort.free), set(), 0.0
    for s in scored:
        if s.mentee_id not in matched and free[s.mentor_id] > 0:
            matched.add(s.mentee_id)
            free[s.mentor_id] -= 1
            total += s.total
    return len(matched), round(total, 4)


def bench_matching(mentees: int = 500, mentors: int = 200, repeat: int = 5) -> dict:
    """Median seconds and total score of the engine and of the greedy baseline; peak RSS."""
    settings = Settings(weights=load_framework().matching_weights())
    roster = Roster(people=generate_people(mentees, mentors, seed=2026))
    cohort = plan_cohort(roster, [], settings)
    engine_times, greedy_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = propose(cohort, settings)
        engine_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        greedy_pairs, greedy_total = greedy(cohort, settings)
        greedy_times.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "mentees": mentees,
        "mentors": mentors,
        "places": sum(cohort.free.values()),
        "repeat": repeat,
        "engine_seconds": round(statistics.median(engine_times), 3),
        "engine_pairs": len(result.pairs),
        "engine_total_score": result.total_score,
        "greedy_seconds": round(statistics.median(greedy_times), 3),
        "greedy_pairs": greedy_pairs,
        "greedy_total_score": greedy_total,
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=500)
    parser.add_argument("--mentors", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=Path("benchmark-matching.json"))
    args = parser.parse_args()
    r = bench_matching(args.mentees, args.mentors, args.repeat)
    print(f"{r['mentees']} mentees x {r['mentors']} mentors ({r['places']} places), "
          f"median of {r['repeat']}:")  # fmt: skip
    print(f"  {'':8} {'seconds':>8} {'pairs':>6} {'total score':>12}")
    for name in ("engine", "greedy"):
        print(f"  {name:8} {r[f'{name}_seconds']:>8.3f} {r[f'{name}_pairs']:>6} "
              f"{r[f'{name}_total_score']:>12.2f}")  # fmt: skip
    print(f"  peak RSS {r['peak_rss_mb']} MB")
    args.json.write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {args.json}")


if __name__ == "__main__":
    main()
