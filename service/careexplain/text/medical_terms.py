"""Drug and condition mentions, normalised to canonical names (packaged vocabularies)."""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'-]*|\d+")
_lock = threading.Lock()


@cache
def _finders() -> tuple[Any, Any]:
    # The vocabularies take several seconds to load: once per process, on first use.
    with _lock:
        from drug_named_entity_recognition import find_drugs
        from medical_named_entity_recognition import find_diseases

        return find_drugs, find_diseases


def load() -> None:
    """Load the vocabularies now (for start-up warm-up)."""
    _finders()


def drugs(text: str) -> set[str]:
    """Canonical (generic) names of the drugs mentioned in ``text``."""
    find_drugs, _ = _finders()
    tokens = _TOKEN.findall(text)
    return {m[0]["name"].lower() for m in find_drugs(tokens, is_ignore_case=True)}


def conditions(text: str) -> set[str]:
    """Canonical (MeSH) names of the diseases and conditions mentioned in ``text``."""
    _, find_diseases = _finders()
    tokens = _TOKEN.findall(text)
    return {m[0]["name"].lower() for m in find_diseases(tokens)}
