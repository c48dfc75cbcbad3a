"""One real NoteExtractor per test run, shared by the notes and API tests."""

from __future__ import annotations

from functools import lru_cache

from careexplain.notes.pipeline import NoteExtractor
from careexplain.settings import REPO_ROOT, Settings


@lru_cache(maxsize=1)
def shared_extractor() -> NoteExtractor:
    """The real pipeline; its vocabulary cache lives in data/notes like `make serve`'s."""
    return NoteExtractor.from_settings(Settings(data_dir=REPO_ROOT / "data"))
