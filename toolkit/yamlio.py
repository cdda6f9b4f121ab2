"""Reading YAML safely and fast.

PyYAML's pure-Python parser takes about half a second for the framework's files; its LibYAML
binding (``CSafeLoader``, shipped in PyYAML's wheels) reads the same in a few hundredths. Both are
*safe* loaders: plain data only, never arbitrary Python objects.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """Parse a YAML document into plain data (dicts, lists, strings, numbers, dates)."""
    return yaml.load(text, Loader=_LOADER)
