"""Generated rosters for the matching tests and benchmark, and an independent checker of the
hard constraints (written from the issue's list, not from the engine's code)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable

from toolkit.roster import PEOPLE_COLUMNS, Person

# Five countries, three languages.
COUNTRY_LANGUAGE = {"KE": "en", "GH": "en", "SN": "fr", "CD": "fr", "MZ": "pt"}
SECTORS = ("Health", "WASH", "Education", "Nutrition")
DOMAINS = ("technical", "evaluation", "data", "communication", "strategy", "leadership")


def generate_people(
    mentees: int, mentors: int, seed: int = 1, default_capacity: int = 2
) -> dict[str, Person]:
    """A roster of ``mentees`` and ``mentors`` in 5 countries and 3 languages, with line
    managers (chains of two), preferences, capacities and some same-sex preferences."""
    rng = random.Random(seed)
    countries = sorted(COUNTRY_LANGUAGE)
    people: dict[str, Person] = {}

    def languages(country: str) -> tuple[str, ...]:
        own = COUNTRY_LANGUAGE[country]
        other = rng.choice(sorted(set(COUNTRY_LANGUAGE.values()) - {own}))
        return (own, other) if rng.random() < 0.3 else (own,)

    mentor_ids = [f"M{i:03d}" for i in range(1, mentors + 1)]
    for i, pid in enumerate(mentor_ids):
        country = rng.choice(countries)
        manager = mentor_ids[i - 1] if i and rng.random() < 0.2 else ""
        people[pid] = Person(
            person_id=pid, name=f"Mentor {pid}", email=f"{pid.lower()}@example.org",
            role="mentor", country=country, office="", sector=rng.choice(SECTORS),
            level=rng.choice(("senior", "senior", "mid")), languages=languages(country),
            sex=rng.choice(("female", "male")), line_manager_id=manager,
            domains=tuple(sorted(rng.sample(DOMAINS, rng.randint(1, 3)))),
            row=len(people) + 2,
            capacity=rng.choice((None, None, 1, 2, 3)),
        )  # fmt: skip
    for i in range(1, mentees + 1):
        pid = f"E{i:03d}"
        country = rng.choice(countries)
        sex = rng.choice(("female", "male", "undisclosed"))
        preferred = tuple(rng.sample(mentor_ids, rng.randint(0, min(3, len(mentor_ids)))))
        people[pid] = Person(
            person_id=pid, name=f"Mentee {pid}", email=f"{pid.lower()}@example.org",
            role="mentee", country=country, office="", sector=rng.choice(SECTORS),
            level=rng.choice(("junior", "junior", "junior", "mid")), languages=languages(country),
            sex=sex,
            line_manager_id=rng.choice(mentor_ids) if mentor_ids and rng.random() < 0.2 else "",
            domains=tuple(sorted(rng.sample(DOMAINS, rng.randint(1, 3)))),
            row=len(people) + 2, preferred_mentors=preferred,
            same_sex_preference=sex != "undisclosed" and rng.random() < 0.1,
        )  # fmt: skip
    return people


def as_rows(people: Iterable[Person]) -> list[tuple[str, ...]]:
    """People as roster rows, in the order of :data:`PEOPLE_COLUMNS`."""
    rows = []
    for p in people:
        values = {
            **{c.name: str(getattr(p, c.name, "") or "") for c in PEOPLE_COLUMNS},
            "languages": ", ".join(p.languages),
            "domains": ", ".join(p.domains),
            "preferred_mentors": ", ".join(p.preferred_mentors),
            "capacity": "" if p.capacity is None else str(p.capacity),
            "same_sex_preference": "yes" if p.same_sex_preference else "",
        }
        rows.append(tuple(values[c.name] for c in PEOPLE_COLUMNS))
    return rows


LEVEL_ORDER = ["junior", "mid", "senior"]


def violations(
    pairs: Iterable[tuple[str, str]],
    people: dict[str, Person],
    *,
    capacity: dict[str, int],
    earlier: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
    cross_country: str = "preferred",
    cross_sector: str = "any",
) -> list[str]:
    """Every hard constraint a set of proposed (mentor, mentee) pairs breaks, as text."""
    pairs = list(pairs)
    out = []
    earlier, forbidden = set(earlier), set(forbidden)
    for mentor_id, mentee_id in pairs:
        mentor, mentee = people[mentor_id], people[mentee_id]
        tag = f"{mentor_id}-{mentee_id}"
        if (mentor.role, mentee.role) != ("mentor", "mentee"):
            out.append(f"{tag}: roles")
        if not set(mentor.languages) & set(mentee.languages):
            out.append(f"{tag}: no shared language")
        if LEVEL_ORDER.index(mentor.level) <= LEVEL_ORDER.index(mentee.level):
            out.append(f"{tag}: mentor not above mentee")
        boss, seen = mentee.line_manager_id, set()
        while boss and boss not in seen:
            if boss == mentor_id:
                out.append(f"{tag}: mentor in reporting chain")
            seen.add(boss)
            boss = people[boss].line_manager_id if boss in people else ""
        if mentee.same_sex_preference and mentor.sex != mentee.sex:
            out.append(f"{tag}: same-sex preference")
        if cross_country == "required" and mentor.country == mentee.country:
            out.append(f"{tag}: same country")
        same_sector = mentor.sector != "" and mentor.sector.lower() == mentee.sector.lower()
        if cross_sector == "required" and same_sector:  # a blank sector is no sector
            out.append(f"{tag}: same sector")
        if (mentor_id, mentee_id) in earlier:
            out.append(f"{tag}: repeat of an earlier pair")
        if (mentor_id, mentee_id) in forbidden:
            out.append(f"{tag}: forbidden")
    for mentor_id, n in Counter(m for m, _ in pairs).items():
        if n > capacity.get(mentor_id, 0):
            out.append(f"{mentor_id}: {n} mentees over capacity {capacity.get(mentor_id, 0)}")
    for mentee_id, n in Counter(e for _, e in pairs).items():
        if n > 1:
            out.append(f"{mentee_id}: {n} mentors")
    return out
