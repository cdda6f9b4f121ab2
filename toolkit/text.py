"""Languages, translated texts and forgiving text comparison.

Every user-facing label is a :data:`Text`: a mapping from language code to string that always
has English. :func:`tr` picks one language (falling back to English); :func:`normalise` makes
labels comparable whatever the case, spacing, accents or trailing punctuation someone typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "pt")
"""Supported languages, English first (the fallback)."""

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
}


def _check_text(value: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language code(s) {unknown}; use {list(LANGUAGES)}")
    if not str(value.get("en", "")).strip():
        raise ValueError("an English ('en') text is required")
    # An empty or null translation is a missing one (tr() falls back to English), not "None".
    return {lang: str(value[lang]) for lang in LANGUAGES if value.get(lang) not in (None, "")}


Text = Annotated[dict[str, str], AfterValidator(_check_text)]
"""A translated text: ``{"en": ..., "fr": ..., "es": ..., "pt": ...}``; English required."""


def tr(text: dict[str, str], lang: str) -> str:
    """The text in ``lang``, or in English when that language is missing."""
    return text.get(lang) or text["en"]


def and_list(items: list[str]) -> str:
    """English enumeration for messages: 'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def missing_languages(text: dict[str, str]) -> list[str]:
    """Languages of :data:`LANGUAGES` that ``text`` lacks."""
    return [lang for lang in LANGUAGES if not text.get(lang)]


_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = " \t:;.,*?¿!¡-–—()[]\"'"


def normalise(value: object) -> str:
    """Comparable form of a label: lower case, accents removed, spaces collapsed.

    >>> normalise("  Journal des Séances : ")
    'journal des seances'
    """
    return _normalise(str(value))


@lru_cache(maxsize=65536)
def _normalise(value: str) -> str:
    # Cached: sync compares the same few hundred labels in every returned workbook.
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text.replace("\u00a0", " ")).strip(_EDGE_PUNCT).lower()
    return text
