"""Reading YAML safely and fast.

PyYAML's pure-Python parser takes about half a second for the framework's files; its LibYAML
binding (``CSafeLoader``, shipped in PyYAML's wheels) reads the same in a few hundredths. Both are
*safe* loaders: plain data only, never arbitrary Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """Parse a YAML document into plain data (dicts, lists, strings, numbers, dates)."""
    return yaml.load(text, Loader=_LOADER)


@dataclass(frozen=True)
class DuplicateKey:
    """A key given twice in the same mapping of a YAML document (a loader keeps the last)."""

    path: str
    """Dotted key path, list items by index (``session_plan.3.topic``)."""
    first_line: int
    second_line: int
    first_value: str
    second_value: str

    @property
    def lines(self) -> str:
        """Both line numbers, as said to a user."""
        return f"lines {self.first_line} and {self.second_line}"


def duplicate_keys(text: str) -> list[DuplicateKey]:
    """Every key given twice in the same mapping of ``text`` (valid YAML), with both line
    numbers (from 1) and both values (a nested value is shown as 'a section')."""
    found: list[DuplicateKey] = []

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, tuple[Any, Any]] = {}
            for key, value in node.value:
                path = f"{prefix}.{key.value}" if prefix else str(key.value)
                if key.value in seen:
                    first_key, first_value = seen[key.value]
                    found.append(
                        DuplicateKey(path, first_key.start_mark.line + 1,
                                     key.start_mark.line + 1, _shown(first_value), _shown(value))
                    )  # fmt: skip
                else:
                    seen[key.value] = (key, value)
                walk(value, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{prefix}.{i}")

    walk(yaml.compose(text, Loader=_LOADER), "")
    return found


def _shown(node: Any) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else "a section"
