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

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from toolkit.errors import ConfigError
from toolkit.framework_model import (
    Framework,
    key_path,
    missing_translations,
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
from toolkit.text import Text

if TYPE_CHECKING:
    from toolkit.programme import Programme

__all__ = [
    "CELL_TEXT_LIMIT", "MATCHING_CRITERIA", "ROLE_CODES", "Coded", "Framework",
    "FrameworkCheck", "FrameworkError", "Indicator", "Milestone", "MonthTopic", "RatingLevel",
    "check_framework", "export_framework", "framework_for", "key_path", "labels",
    "load_framework", "missing_translations", "resolve_folder", "status", "texts",
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


def check_framework(folder: Path) -> FrameworkCheck:
    """Read and validate a framework folder; collect every problem instead of stopping."""
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
    framework, findings = _validate(data, origin)
    # Keys of a file that could not be read are not "missing": its own finding says why.
    unread = {f.file for f in result.findings if f.code == "FWK001"}
    result.findings += [f for f in findings if not (f.value == "nothing" and f.file in unread)]
    result.framework = framework if not result.findings else None
    return result


def load_framework(path: Path | None = None) -> Framework:
    """The framework of a folder of ``*.yaml`` files; the packaged defaults when ``path`` is
    None (cached). Raises :class:`FrameworkError` listing every problem."""
    if path is None:
        return _default_framework()
    checked = check_framework(path)
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
    return load_framework(framework_folder(root, programme))


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
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            detail = " ".join(str(getattr(exc, "problem", "") or exc).split())
            problems.append(finding("FWK001", file=name, line=line, detail=detail))
            continue
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


def _validate(
    data: dict[str, Any], origin: dict[str, str]
) -> tuple[Framework | None, list[Finding]]:
    collected: list[Problem] = []
    try:
        framework = Framework.model_validate(data, context={"problems": collected})
    except ValidationError as exc:
        # Parts whose structure was valid were checked all the same: report both.
        found = [_pydantic_finding(err, origin) for err in exc.errors()]
        return None, found + [_problem_finding(p, origin) for p in collected]
    return framework, [_problem_finding(p, origin) for p in collected]


def _file_of(loc: tuple[Any, ...], origin: dict[str, str]) -> str:
    top = str(loc[0]) if loc else ""
    return origin.get(top) or PART_FILES.get(top, "(framework)")


def _pydantic_finding(err: Any, origin: dict[str, str]) -> Finding:
    loc = tuple(err["loc"])
    if err["type"] == "missing":
        detail, value = "expected this key; it is missing", "nothing"
    elif err["type"] == "extra_forbidden":
        detail, value = "unknown key (check its spelling and indentation)", loc[-1] if loc else ""
    else:
        msg = err["msg"].removeprefix("Value error, ")
        detail, value = msg[:1].lower() + msg[1:], err.get("input")
    return finding(
        "FWK002", file=_file_of(loc, origin), location=key_path(loc) or "(top)",
        detail=detail, value=_short(value),
    )  # fmt: skip


def _problem_finding(p: Problem, origin: dict[str, str]) -> Finding:
    return finding(
        "FWK002", file=_file_of(p.loc, origin), location=key_path(p.loc),
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
    return TypeAdapter(dict[str, Text]).validate_python(yaml.safe_load(text))


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
