"""The annual programme review: what the steering group reads, as result objects.

:func:`review_content` turns an indicator report (``toolkit.indicators``) and the pairs'
reflections into a :class:`ReviewContent`: the indicators against their targets, the themes of
what worked and what did not, and one recommendation for each red or amber indicator and each
theme that came up mostly in what did not work. ``builders/review.py`` writes it as
``review-<year>.xlsx``.

Themes are deterministic and explainable: a lexicon (``toolkit/data/review_themes.yaml``) lists
each theme's keywords in English, French, Spanish and Portuguese, matched on
:func:`toolkit.text.normalise`\\ d text. A reflection comment (the mentee's progress, the mentor's
observations) counts as *worked* or *did not work* by its quarter's ratings (:func:`outcome_of`).
Quotes are attributed to a pair code only, and every roster name or email address in them is
blanked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from toolkit import yamlio
from toolkit.errors import ConfigError
from toolkit.framework import Framework
from toolkit.framework_parts import Role
from toolkit.indicators import IndicatorReport, TrackingRow, periods
from toolkit.indicators.units import rating as parse_rating
from toolkit.messages import Finding, finding
from toolkit.report_text import report_text
from toolkit.text import Text, normalise, tr

if TYPE_CHECKING:
    from toolkit.programme import Programme

Outcome = Literal["worked", "did_not_work", "mixed"]
OUTCOMES: tuple[Outcome, ...] = ("worked", "did_not_work", "mixed")

COMMENT_FIELDS = ("mentee_progress", "mentor_observations")
"""The Reflection fields whose free text is read for themes. Session-log notes are left out:
they say what a session covered, not how the mentoring went."""
GOOD_GOALS = frozenset({"on_track", "achieved"})
POOR_GOALS = frozenset({"behind", "not_started"})
GOOD_RATING, POOR_RATING = 4, 2
"""A satisfaction of 4 or more is a good sign, 2 or less a poor one (on the 1-5 scale)."""
QUOTE_CHARS = 140
"""A quote is the sentence that mentions the theme, cut to this many characters."""
QUOTES_PER_THEME = 2
RECOMMENDED_STATUSES = ("red", "amber")
BLANKED = "[…]"
"""What a roster name or email address in a quote is replaced with."""


# --- the theme lexicon -------------------------------------------------------------------------


class ThemeSpec(BaseModel):
    """One theme of the lexicon."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-z_]+$", description="Stable theme code.")
    owner: Role = Field(description="Governance role a recommendation on this theme names.")
    name: Text = Field(description="Theme name in the four languages.")
    keywords: dict[Literal["en", "fr", "es", "pt"], list[str]] = Field(
        description="Keywords by language, normalised; a trailing '*' matches a word's start."
    )


class Lexicon(BaseModel):
    """The themes, in the order the review lists them."""

    model_config = ConfigDict(extra="forbid")

    themes: list[ThemeSpec] = Field(min_length=1)
    _compiled: dict[tuple[str, str], re.Pattern[str]] = PrivateAttr(default_factory=dict)

    def match(self, text: str, lang: str) -> tuple[str, ...]:
        """Codes of the themes ``text`` mentions, in lexicon order (keywords of ``lang`` and
        English)."""
        plain = normalise(text)
        return tuple(t.code for t in self.themes if self.pattern(t.code, lang).search(plain))

    def pattern(self, code: str, lang: str) -> re.Pattern[str]:
        """One expression for theme ``code``'s keywords in ``lang`` and English (``lang`` "*":
        every language's), compiled once."""
        key = (code, lang)
        if key not in self._compiled:
            theme = next(t for t in self.themes if t.code == code)
            if lang == "*":
                words = [w for la in sorted(theme.keywords) for w in theme.keywords[la]]
            else:
                words = [*theme.keywords.get(lang, [])]
                words += theme.keywords["en"] if lang != "en" else []
            self._compiled[key] = re.compile("|".join(f"(?:{keyword_pattern(w)})" for w in words))
        return self._compiled[key]


def keyword_pattern(keyword: str) -> str:
    """A regular expression for one keyword: whole words, '*' ending a word matches its start.

    >>> keyword_pattern("focus group*")
    '\\\\bfocus\\\\s+group\\\\w*'
    """
    parts = []
    for word in normalise(keyword).split():
        stem = word.endswith("*")
        body = re.escape(word.rstrip("*"))
        parts.append(body + (r"\w*" if stem else ""))
    end = "" if keyword.endswith("*") else r"(?!\w)"
    return r"\b" + r"\s+".join(parts) + end


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged theme lexicon (``toolkit/data/review_themes.yaml``)."""
    path = resources.files("toolkit").joinpath("data/review_themes.yaml")
    return Lexicon.model_validate(yamlio.safe_load(path.read_text("utf-8")))


# --- comments and their outcome ----------------------------------------------------------------


def outcome_of(ratings: Mapping[str, str]) -> Outcome:
    """Whether a quarter's comments count as what worked or what did not, by its ratings.

    Each of three answers of the quarter's Reflection row is a sign: the mentee's and the
    mentor's satisfaction (4 or 5 good, 1 or 2 poor) and the mentee's goals (on track or
    achieved good, behind or not started poor). More good signs than poor: ``worked``; more
    poor than good: ``did_not_work``; as many (none included): ``mixed``.
    """
    good = poor = 0
    for key in ("mentee_satisfaction", "mentor_satisfaction"):
        rating = parse_rating(ratings.get(key, ""))
        good += rating is not None and rating >= GOOD_RATING
        poor += rating is not None and rating <= POOR_RATING
    goals = ratings.get("goals_status", "")
    good += goals in GOOD_GOALS
    poor += goals in POOR_GOALS
    return "worked" if good > poor else "did_not_work" if poor > good else "mixed"


@dataclass(frozen=True)
class Comment:
    """One free-text answer of a Reflection row, classified."""

    pair_id: str
    quarter: str
    field: str
    text: str
    outcome: Outcome
    themes: tuple[str, ...]


def collect_comments(
    values: Mapping[str, Mapping[tuple[str, str, str], str]],
    languages: Mapping[str, str],
    quarters: Iterable[str],
    lexicon: Lexicon,
) -> list[Comment]:
    """Every non-empty reflection comment of ``quarters``, by pair then quarter then field.

    ``values`` is the ledger's current view (pair → {(tool, row, field): value}) and
    ``languages`` each pair's workbook language (whose keywords, with English, are tried).
    """
    wanted = list(quarters)
    out: list[Comment] = []
    for pair_id in sorted(values):
        pv = values[pair_id]
        for quarter in wanted:
            row = {f: pv.get(("reflection", quarter, f), "") for f in _RATING_FIELDS}
            outcome = outcome_of(row)
            for name in COMMENT_FIELDS:
                text = (pv.get(("reflection", quarter, name)) or "").strip()
                if text:
                    themes = lexicon.match(text, languages.get(pair_id, "en"))
                    out.append(Comment(pair_id, quarter, name, text, outcome, themes))
    return out


_RATING_FIELDS = ("mentee_satisfaction", "mentor_satisfaction", "goals_status")


# --- themes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A short example, attributed to a pair code only."""

    pair_id: str
    quarter: str
    outcome: Outcome
    text: str


@dataclass
class ThemeSummary:
    """How often one theme came up in what worked, what did not, and mixed quarters."""

    code: str
    name: dict[str, str]
    owner: str
    mentions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    quotes: list[Quote] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.mentions.values())

    @property
    def mostly_did_not_work(self) -> bool:
        """More mentions in what did not work than in what worked."""
        return self.mentions["did_not_work"] > self.mentions["worked"]

    def quote_texts(self) -> set[str]:
        """The texts quoted so far (two comments saying the same are quoted once)."""
        return {q.text for q in self.quotes}

    def share(self, outcome: Outcome, comments: Mapping[str, int]) -> float | None:
        """Share (0-1) of the ``outcome`` comments that mention this theme; None when there
        is no such comment."""
        return self.mentions[outcome] / comments[outcome] if comments[outcome] else None


def summarise_themes(
    comments: Sequence[Comment],
    lexicon: Lexicon,
    blank: Callable[[str], str] = lambda text: text,
) -> list[ThemeSummary]:
    """One summary per theme of the lexicon, in its order, with up to two different quotes
    each (the first from the side the theme came up on most, then one from the other side)."""
    out = []
    for spec in lexicon.themes:
        summary = ThemeSummary(spec.code, dict(spec.name), spec.owner)
        mine = [c for c in comments if spec.code in c.themes]
        for c in mine:
            summary.mentions[c.outcome] += 1
        first: Outcome = "did_not_work" if summary.mostly_did_not_work else "worked"
        second: Outcome = "worked" if first == "did_not_work" else "did_not_work"
        picks = [c for c in mine if c.outcome == first][:1]
        picks += [c for c in mine if c.outcome == second][:1]
        picks += [c for c in mine if c not in picks]
        for c in picks:
            text = blank(_sentence(c.text, lexicon, spec.code))
            if len(summary.quotes) < QUOTES_PER_THEME and text not in summary.quote_texts():
                summary.quotes.append(Quote(c.pair_id, c.quarter, c.outcome, text))
        out.append(summary)
    return out


def outcome_counts(comments: Iterable[Comment]) -> dict[str, int]:
    """How many comments fall in each outcome."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for c in comments:
        counts[c.outcome] += 1
    return counts


_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+")


def _sentence(text: str, lexicon: Lexicon, code: str) -> str:
    """The first sentence of ``text`` that mentions theme ``code``, cut to QUOTE_CHARS."""
    pattern = lexicon.pattern(code, "*")
    parts = [p.strip().rstrip(" ;:,") for p in _SENTENCE_END.split(text) if p.strip()]
    chosen = next((p for p in parts if pattern.search(normalise(p))), parts[0] if parts else "")
    return chosen if len(chosen) <= QUOTE_CHARS else chosen[: QUOTE_CHARS - 1].rstrip() + "…"


def name_blanker(people: Mapping[str, Mapping[str, str]]) -> Callable[[str], str]:
    """A function that replaces every roster email address, and every word of a roster name
    (of three letters or more, whatever its case or accents), with ``[…]``."""
    emails = sorted({str(p.get("email") or "").strip() for p in people.values()} - {""})
    words = {
        normalise(w)
        for p in people.values()
        for w in re.split(r"[\s'’-]+", str(p.get("name") or ""))
        if len(w) >= 3
    }
    email_re = re.compile("|".join(re.escape(e) for e in emails), re.I) if emails else None
    word_re = re.compile(r"[^\W\d_]+")

    def blank(text: str) -> str:
        if email_re is not None:
            text = email_re.sub(BLANKED, text)
        return word_re.sub(lambda m: BLANKED if normalise(m.group()) in words else m.group(), text)

    return blank


# --- recommendations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """One row of the Recommendations sheet, in the review's language."""

    source: Literal["indicator", "theme"]
    code: str
    finding: str
    recommendation: str
    owner: str
    """Governance role code."""


def indicator_recommendations(
    tracking: Sequence[TrackingRow], framework: Framework, lang: str
) -> list[Recommendation]:
    """One recommendation for each red or amber indicator, in tracking order."""
    out = []
    for row in tracking:
        if row.status not in RECOMMENDED_STATUSES:
            continue
        indicator = tr(row.name, lang)
        facts = {
            "indicator": indicator,
            "actual": format_figure(row.cumulative, row.unit, lang),
            "target": format_figure(row.target, row.unit, lang),
            "percent": format_number(row.pct_of_target, lang) if row.pct_of_target is not None
            else "—",
            "status": report_text("indicators", f"status_{row.status}", lang),
            "n": format_number(row.denominator, lang),
            "people": row.people,
        }  # fmt: skip
        role = tr(framework.role(row.responsible).name, lang)
        key = "rec_indicator_decrease" if row.direction == "decrease" else "rec_indicator_increase"
        out.append(
            Recommendation(
                "indicator",
                row.code,
                report_text("review", "finding_indicator", lang, **facts),
                report_text("review", key, lang, indicator=indicator, role=role),
                row.responsible,
            )
        )
    return out


def theme_recommendations(
    themes: Sequence[ThemeSummary], counts: Mapping[str, int], framework: Framework, lang: str
) -> list[Recommendation]:
    """One recommendation for each theme that came up mostly in what did not work."""
    out = []
    for t in themes:
        if not t.mostly_did_not_work:
            continue
        name = tr(t.name, lang)
        share = t.share("did_not_work", counts)
        facts = {
            "theme": name,
            "bad": t.mentions["did_not_work"],
            "good": t.mentions["worked"],
            "share": format_number(100 * share if share is not None else 0.0, lang),
        }
        role = tr(framework.role(t.owner).name, lang)
        out.append(
            Recommendation(
                "theme",
                t.code,
                report_text("review", "finding_theme", lang, **facts),
                report_text("review", "rec_theme", lang, theme=name, role=role),
                t.owner,
            )
        )
    return out


# --- the whole review --------------------------------------------------------------------------


@dataclass
class ReviewContent:
    """Everything the review workbook shows, computed."""

    report: IndicatorReport
    lang: str
    comments: list[Comment]
    themes: list[ThemeSummary]
    counts: dict[str, int]
    """Comments by outcome."""
    unclassified: dict[str, int]
    """Comments that mention no theme, by outcome."""
    recommendations: list[Recommendation]
    pairs_commenting: int
    findings: list[Finding] = field(default_factory=list)


def review_content(
    report: IndicatorReport,
    values: Mapping[str, Mapping[tuple[str, str, str], str]],
    languages: Mapping[str, str],
    people: Mapping[str, Mapping[str, str]],
    framework: Framework,
    lang: str,
    lexicon: Lexicon | None = None,
) -> ReviewContent:
    """The review of ``report`` and the pairs' reflections for the quarters it covers."""
    lexicon = lexicon or load_lexicon()
    quarters = [p.code for p in report.periods]
    comments = collect_comments(values, languages, quarters, lexicon)
    themes = summarise_themes(comments, lexicon, name_blanker(people))
    counts = outcome_counts(comments)
    unclassified = outcome_counts(c for c in comments if not c.themes)
    recommendations = indicator_recommendations(report.tracking, framework, lang)
    recommendations += theme_recommendations(themes, counts, framework, lang)
    findings = []
    if not comments:
        findings.append(finding("REV004", quarters=", ".join(quarters) or "—"))
    return ReviewContent(
        report, lang, comments, themes, counts, unclassified, recommendations,
        len({c.pair_id for c in comments}), findings,
    )  # fmt: skip


# --- the period under review -------------------------------------------------------------------


def cycle_end(programme: Programme) -> dt.date:
    """The last day of the programme's cycle."""
    return periods.cycle_end(programme.cycle.start_date, programme.cycle.months)


def review_period(
    programme: Programme, year: int | None, as_of: dt.date | None, today: dt.date
) -> tuple[int, dt.date]:
    """The review's year (its file name) and reference date.

    A year is reviewed once its last quarter's workbooks are in: without ``as_of``, the
    reference date is the earliest of today and the day after the return deadline that follows
    the year's (or the cycle's) last day (``monitoring: return_deadline_days``), the first day
    on which that quarter's returns are counted (a deadline counts once it has passed).
    Raises :class:`ConfigError` when the year does not overlap the cycle (REV002), the
    reference date is before the cycle starts (REV003) or before ``year`` begins (REV005: a
    year not begun yet).
    """
    start, end = programme.cycle.start_date, cycle_end(programme)
    if year is not None and not start.year <= year <= end.year:
        f = finding("REV002", value=year, start=start.isoformat(), end=end.isoformat())
        raise ConfigError(f.render(), [f])
    last = min(end, dt.date(year, 12, 31)) if year is not None else end
    if as_of is None:
        grace = dt.timedelta(days=programme.monitoring.return_deadline_days)
        as_of = min(today, last + grace + dt.timedelta(days=1))
    if as_of < start:
        f = finding("REV003", value=as_of.isoformat(), start=start.isoformat())
        raise ConfigError(f.render(), [f])
    if year is not None and as_of < dt.date(year, 1, 1):
        f = finding("REV005", value=as_of.isoformat(), year=year)
        raise ConfigError(f.render(), [f])
    return (year if year is not None else min(as_of, last).year), as_of


# --- figures as the review shows them ----------------------------------------------------------


def format_number(value: float | None, lang: str) -> str:
    """A number with one decimal at most, with the language's decimal mark (2.5 / 2,5)."""
    if value is None:
        return "—"
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang != "en" else text


def format_figure(value: float | None, unit: str, lang: str) -> str:
    """A value in its unit: ``72.5%``, ``3.6 / 5``, ``4``."""
    if value is None:
        return report_text("review", "no_value", lang)
    number = format_number(value, lang)
    if unit == "percent":
        return f"{number} %" if lang == "fr" else f"{number}%"
    if unit == "mean_rating":
        return f"{number} / 5"
    return number
