"""The M&E mentoring framework: the seven parts of the programme design, as validated data.

The defaults live in ``toolkit/data/framework/*.yaml``, one file per part; a programme may use
an edited copy (``framework: framework`` in programme.yaml, see :func:`framework_for`). The
files' top-level keys are merged (a key may appear in one file only) and validated by the
models of :mod:`toolkit.framework_parts` and :mod:`toolkit.framework_model`. This module loads,
checks, exports and locates; the parts and their files:

- core (``core.yaml``): version, rating_scale, achieved_threshold, levels, domains
- overview (``overview.yaml``): vision, objectives, model and why, mentoring vs coaching,
  the inputs of the computed time commitment
- competency milestones (``competencies.yaml``): milestones
- session structure (``sessions.yaml``): session_template, session_plan, sprints
- matching (``matching.yaml``): criteria and weights, process, guidelines, re-matching
- governance (``governance.yaml``): roles, RACI, selection, training, orientation,
  escalation ladder, recognition
- evaluation (``evaluation.yaml``): indicators, data_collection_methods, review_cycle

The progress tracking tools (the seventh part) are the pair workbook's sheets themselves,
declared in ``toolkit/data/contract.yaml``.

Structure (types, required keys, ranges) is checked by pydantic; consistency across parts (the
template sums to 90 minutes, months 1 to 12, four sprints, three milestones per domain and
level, known role codes, weights summing to 100, thresholds that agree with the indicator's
direction) by :meth:`Framework.problems`. :func:`check_framework` reports *every* problem as a
:class:`~toolkit.messages.Finding` naming the file, the key path (``sessions.yaml:
session_template[2].minutes``) and what was expected; :func:`load_framework` raises
:class:`FrameworkError` with them. The time commitment of mentor and mentee is computed
(:attr:`Framework.commitment`), never typed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from toolkit import yamlio
from toolkit.errors import ConfigError
from toolkit.framework_model import (
    Framework,
    key_path,
    missing_translations,
    raw_problems,
    raw_texts,
    status,
    texts,
)
from toolkit.framework_parts import (
    CELL_TEXT_LIMIT,
    MATCHING_CRITERIA,
    ROLE_CODES,
    Coded,
    Indicator,
    Milestone,
    MonthTopic,
    Problem,
    RatingLevel,
)
from toolkit.messages import Finding, finding
from toolkit.text import LANGUAGES, Text

if TYPE_CHECKING:
    from toolkit.programme import Programme

__all__ = [
    "CELL_TEXT_LIMIT",
    "MATCHING_CRITERIA",
    "ROLE_CODES",
    "Coded",
    "Framework",
    "FrameworkCheck",
    "FrameworkError",
    "Indicator",
    "Milestone",
    "MonthTopic",
    "RatingLevel",
    "check_framework",
    "cycle_findings",
    "export_framework",
    "framework_for",
    "key_path",
    "labels",
    "load_framework",
    "missing_translations",
    "programme_languages",
    "resolve_folder",
    "status",
    "texts",
    "unused_copy",
]  # fmt: skip

PART_FILES: dict[str, str] = {
    "version": "core.yaml",
    "rating_scale": "core.yaml",
    "achieved_threshold": "core.yaml",
    "levels": "core.yaml",
    "domains": "core.yaml",
    "overview": "overview.yaml",
    "milestones": "competencies.yaml",
    "session_template": "sessions.yaml",
    "session_plan": "sessions.yaml",
    "sprints": "sessions.yaml",
    "matching": "matching.yaml",
    "governance": "governance.yaml",
    "indicators": "evaluation.yaml",
    "data_collection_methods": "evaluation.yaml",
    "review_cycle": "evaluation.yaml",
}
"""The file each top-level key lives in by default (used to place a missing key)."""


# --- loading ------------------------------------------------------------------------------------


class FrameworkError(ConfigError):
    """A framework folder has problems; ``findings`` lists every one (file, key path)."""


@dataclass
class FrameworkCheck:
    """The result of checking a framework folder: the framework, or every problem found."""

    folder: Path
    framework: Framework | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.framework is not None and not self.findings


def check_framework(folder: Path, languages: Sequence[str] = LANGUAGES) -> FrameworkCheck:
    """Read and validate a framework folder; collect every problem instead of stopping.

    Every text must be given in each of ``languages`` (a programme checks its own workbook
    languages; a framework folder on its own is checked in all four) and fit in a cell."""
    result = FrameworkCheck(folder)
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        result.findings.append(finding("FWK004", file=str(folder), location=str(folder)))
        return result
    named = []
    for path in files:
        try:
            named.append((path.name, path.read_text(encoding="utf-8-sig")))
        except UnicodeDecodeError as exc:
            detail = f"it is not saved as UTF-8 text ({exc.reason} at byte {exc.start})"
            result.findings.append(finding("FWK001", file=path.name, line=1, detail=detail))
    data, origin, problems = _merge(named)
    result.findings.extend(problems)
    framework, findings = _validate(data, origin, {path.name for path in files})
    # Keys of a file that could not be read are not "missing": its own finding says why.
    unread = {f.file for f in result.findings if f.code in ("FWK001", "FWK003")} | {
        f.file for f in problems if f.code != "FWK010"
    }
    result.findings += [f for f in findings if not (f.value == "nothing" and f.file in unread)]
    result.findings += _text_findings(data, origin, languages)
    result.framework = framework if not result.findings else None
    return result


def load_framework(path: Path | None = None, languages: Sequence[str] = LANGUAGES) -> Framework:
    """The framework of a folder of ``*.yaml`` files; the packaged defaults when ``path`` is
    None (cached). Raises :class:`FrameworkError` listing every problem (a text missing in
    one of ``languages`` is one)."""
    if path is None:
        return _default_framework()
    checked = check_framework(path, languages)
    if checked.framework is None:
        summary = "\n".join(f.render() for f in checked.findings)
        raise FrameworkError(
            f"The framework in {path} has {len(checked.findings)} problem(s):\n{summary}",
            checked.findings,
        )
    return checked.framework


def framework_folder(root: Path, programme: Programme) -> Path | None:
    """The edited framework folder a programme points at, or None for the defaults."""
    return (root / programme.framework) if programme.framework else None


def framework_for(root: Path, programme: Programme | None = None) -> Framework:
    """The effective framework of a programme folder: its edited copy when programme.yaml
    names one (``framework: framework``), else the packaged defaults."""
    if programme is None:
        from toolkit.programme import PROGRAMME_FILE, load_programme

        programme = load_programme(root / PROGRAMME_FILE)
    return load_framework(framework_folder(root, programme), programme.languages)


@dataclass(frozen=True)
class ExportResult:
    """Where ``mentorkit framework export`` wrote the editable copy."""

    folder: Path
    files: list[Path]


def export_framework(root: Path, name: str = "framework") -> ExportResult:
    """Write the packaged framework files into ``root/name/`` for editing; refuse to
    overwrite an existing folder."""
    from toolkit.errors import ProgrammeFolderError

    target = root / name
    if target.exists():
        f = finding("FWK005", file=str(target), location=str(target))
        raise ProgrammeFolderError(f.render(), [f])
    target.mkdir(parents=True)
    written = []
    for file, text in default_files():
        (target / file).write_text(text, encoding="utf-8")
        written.append(target / file)
    return ExportResult(target, written)


def resolve_folder(path: Path | None) -> Path | None:
    """The framework folder a command means by ``path``: a programme folder's edited copy
    (None when its programme.yaml names none, i.e. the defaults), or a framework folder."""
    if path is None:
        return None
    from toolkit.programme import PROGRAMME_FILE, load_programme

    if (path / PROGRAMME_FILE).is_file():
        return framework_folder(path, load_programme(path / PROGRAMME_FILE))
    return path


def cycle_findings(programme: Programme, framework: Framework) -> list[Finding]:
    """Where programme.yaml's ``cycle`` disagrees with the framework it uses: the session
    length (the framework's template is what workbooks plan) and the months of the plan."""
    out: list[Finding] = []
    cycle = programme.cycle
    if cycle.session_minutes != framework.session_minutes:
        out.append(
            finding("FWK008", file="programme.yaml", location="cycle.session_minutes",
                    value=cycle.session_minutes, minutes=framework.session_minutes)
        )  # fmt: skip
    planned = len(framework.session_plan)
    if cycle.months != planned:
        consequence = (
            f"months {planned + 1} to {cycle.months} of the Session log have no planned topic"
            if cycle.months > planned
            else f"the topics of months {cycle.months + 1} to {planned} are not used"
        )
        out.append(
            finding("FWK009", file="programme.yaml", location="cycle.months",
                    value=cycle.months, months=planned, consequence=consequence)
        )  # fmt: skip
    return out


def programme_languages(path: Path) -> tuple[str, ...]:
    """The languages a folder's framework texts must have: a programme folder's workbook
    languages, or all four for a framework folder on its own."""
    from toolkit.programme import PROGRAMME_FILE, load_programme

    if (path / PROGRAMME_FILE).is_file():
        return tuple(load_programme(path / PROGRAMME_FILE).languages)
    return LANGUAGES


def unused_copy(root: Path) -> Path | None:
    """An exported framework folder inside a programme folder that programme.yaml does not
    name (so the built-in framework is used), or None."""
    candidate = root / "framework"
    return candidate if candidate.is_dir() and any(candidate.glob("*.yaml")) else None


def default_files() -> list[tuple[str, str]]:
    """``(file name, text)`` of every packaged framework file, in name order."""
    folder = resources.files("toolkit").joinpath("data/framework")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=_name)
    return [(e.name, e.read_text(encoding="utf-8")) for e in entries]


def _merge(
    named_texts: Iterable[tuple[str, str]],
) -> tuple[dict[str, Any], dict[str, str], list[Finding]]:
    """Merge the top-level keys of several YAML documents, noting which file gave each key."""
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    problems: list[Finding] = []
    for name, text in named_texts:
        try:
            doc = yamlio.safe_load(text)
        except yaml.YAMLError as exc:
            line = _error_line(text, exc)
            detail = " ".join(str(getattr(exc, "problem", "") or exc).split())
            problems.append(finding("FWK001", file=name, line=line, detail=detail))
            continue
        problems += [
            finding("FWK010", file=name, location=d.path, line=d.first_line, value=d.first_value,
                    second=d.second_line, other=d.second_value)
            for d in yamlio.duplicate_keys(text)
        ]  # fmt: skip
        if doc is None:
            continue
        if not isinstance(doc, dict):
            problems.append(
                finding("FWK002", file=name, location="(top)", value=type(doc).__name__,
                        detail="expected top-level keys such as 'session_plan:'")
            )  # fmt: skip
            continue
        for key, value in doc.items():
            if key in merged:
                problems.append(finding("FWK003", file=name, location=str(key), other=origin[key]))
                continue
            merged[key], origin[key] = value, name
    return merged, origin, problems


_KEY_COLON = re.compile(r":(\s|$)")


def _error_line(text: str, exc: yaml.YAMLError) -> int:
    """The line (from 1) to fix. YAML often notices a key without its colon only on the next
    line: "while scanning a simple key" names the right line as the context; "mapping values
    are not allowed here" and a second document start point at the line after one whose
    colon is missing."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return 1
    if "simple key" in str(getattr(exc, "context", "") or ""):
        return int((getattr(exc, "context_mark", None) or mark).line) + 1
    problem = str(getattr(exc, "problem", "") or "")
    if "mapping values are not allowed" in problem or "<document start>" in problem:
        lines = text.splitlines()
        before = [i for i in range(min(mark.line, len(lines)) - 1, -1, -1)
                  if lines[i].strip() and not lines[i].lstrip().startswith("#")]  # fmt: skip
        if before and not _KEY_COLON.search(lines[before[0]]):
            return before[0] + 1
    return int(mark.line) + 1


def _validate(
    data: dict[str, Any], origin: dict[str, str], present: set[str] | None = None
) -> tuple[Framework | None, list[Finding]]:
    collected: list[Problem] = []
    where = _Where(data, origin, present)
    try:
        framework = Framework.model_validate(data, context={"problems": collected})
    except ValidationError as exc:
        # Parts whose structure was valid were checked all the same; the item-level checks of
        # the broken parts run on the raw data, so one broken item does not hide the others.
        errors = exc.errors()
        found = [_pydantic_finding(err, where) for err in errors]
        broken = {str(err["loc"][0]) for err in errors if err["loc"]}
        collected += raw_problems(data, broken)
        return None, found + [_problem_finding(p, where) for p in collected]
    return framework, [_problem_finding(p, where) for p in collected]


@dataclass(frozen=True)
class _Where:
    """Places a problem: its file, and its key path with each list item's code."""

    data: dict[str, Any]
    origin: dict[str, str]
    present: set[str] | None

    def file(self, loc: tuple[Any, ...]) -> str:
        top = str(loc[0]) if loc else ""
        return self.origin.get(top) or PART_FILES.get(top, "(framework)")

    def path(self, loc: tuple[Any, ...]) -> str:
        """``indicators[0] (AGR).thresholds``: the 0-based index, and the item's code."""
        out, node = "", self.data
        for part in loc:
            if isinstance(part, int):
                out += f"[{part}]"
                node = node[part] if isinstance(node, list) and part < len(node) else None
                name = _item_name(node)
                out += f" ({name})" if name else ""
            else:
                out += f".{part}" if out else str(part)
                node = node.get(part) if isinstance(node, dict) else None
        return out

    def missing_file(self, loc: tuple[Any, ...]) -> str | None:
        """The default file of a missing top-level key, when that file is not in the folder."""
        if len(loc) != 1 or self.present is None or str(loc[0]) in self.origin:
            return None
        file = PART_FILES.get(str(loc[0]))
        return file if file and file not in self.present else None


def _item_name(node: Any) -> str:
    """The code of a list item (a milestone, an indicator, ...), or ''."""
    code = node.get("code") if isinstance(node, dict) else None
    return str(code) if isinstance(code, (str, int)) and not isinstance(code, bool) else ""


def _text_findings(
    data: dict[str, Any], origin: dict[str, str], languages: Sequence[str]
) -> list[Finding]:
    """Every text missing one of ``languages`` (FWK006), and every text in one of them too long
    for a cell (FWK007), from the raw data, so they are found even when the structure has
    problems."""
    where = _Where(data, origin, None)
    out: list[Finding] = []
    for loc, text in raw_texts(data):
        file, path = where.file(loc), where.path(loc)
        for lang in languages:
            if not str(text.get(lang) or "").strip():
                out.append(finding("FWK006", file=file, location=path, language=lang,
                                   value=_short(text.get("en", ""), 60)))  # fmt: skip
        for lang, value in text.items():
            # Only the languages checked for translations: a text the programme never shows
            # cannot be cut off.
            if lang in languages and value is not None and len(str(value)) >= CELL_TEXT_LIMIT:
                out.append(finding("FWK007", file=file, location=f"{path}.{lang}",
                                   length=len(str(value)), limit=CELL_TEXT_LIMIT - 1,
                                   value=_short(value, 60)))  # fmt: skip
    return out


def _pydantic_finding(err: Any, where: _Where) -> Finding:
    loc = tuple(err["loc"])
    missing_file = where.missing_file(loc)
    if missing_file:
        detail = f"expected this key in {missing_file}, but that file is not in the folder"
        return finding("FWK002", file=missing_file, location=str(loc[0]), detail=detail,
                       value="nothing")  # fmt: skip
    if err["type"] == "missing":
        detail, value = "expected this key; it is missing", "nothing"
    elif err["type"] == "extra_forbidden":
        detail, value = "unknown key (check its spelling and indentation)", loc[-1] if loc else ""
    else:
        msg = err["msg"].removeprefix("Value error, ")
        detail, value = msg[:1].lower() + msg[1:], err.get("input")
    return finding(
        "FWK002", file=where.file(loc), location=where.path(loc) or "(top)",
        detail=detail, value=_short(value),
    )  # fmt: skip


def _problem_finding(p: Problem, where: _Where) -> Finding:
    return finding(
        "FWK002", file=where.file(p.loc), location=where.path(p.loc),
        detail=f"expected {p.expected}", value=_short(p.found),
    )  # fmt: skip


def _short(value: Any, limit: int = 120) -> Any:
    """A long list or mapping cut down for a message; short ones stay as they are."""
    text = str(value)
    if len(text) <= limit:
        return value
    return text[: limit - 1] + "…"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Labels of the sheets that show the framework (Guide, master framework sheets), by key,
    each a :data:`~toolkit.text.Text` in the four languages."""
    from pydantic import TypeAdapter

    text = resources.files("toolkit").joinpath("data/framework_labels.yaml").read_text("utf-8")
    return TypeAdapter(dict[str, Text]).validate_python(yamlio.safe_load(text))


@lru_cache(maxsize=1)
def _default_framework() -> Framework:
    data, origin, problems = _merge(default_files())
    framework, findings = _validate(data, origin) if not problems else (None, problems)
    if framework is None or findings:
        summary = "\n".join(f.render() for f in findings)
        raise FrameworkError(f"The packaged framework has problems:\n{summary}", findings)
    return framework


def _name(entry: Any) -> str:
    return str(entry.name)
