"""Plain helpers for tests: paths, settings and small documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from careexplain.generate.grounding import SourcePassage
from careexplain.settings import REPO_ROOT, Settings

GUIDANCE = REPO_ROOT / "knowledge_base" / "guidance"
SHARED_DATA = Settings().shared_data_dir  # CAREEXPLAIN_SHARED_DATA_DIR overrides
# Tests generate with the small SmolLM2; its export is shared with `make serve` under data/.
FAST_MODEL: dict[str, object] = {
    "generator_model": "smollm2-135m-instruct",
    "models_cache": REPO_ROOT / "data" / "models",
    "max_new_tokens": 96,
    "generator_dtype": "bfloat16",  # measured faster than int8 for the 135M model
    # The support judge loads the 1.5B default model: its own tests and the support floors use
    # it; tests about chat, notes and handouts run the guard's rules alone.
    "support_judge_model": "",
}


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with the reason."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"third-party data not found at {path} (set CAREEXPLAIN_SHARED_DATA_DIR)")
    return path


def passage(text: str, n: int = 1, title: str = "Guidance") -> SourcePassage:
    """Source [n] for the guard: one passage of guidance."""
    return SourcePassage(n=n, chunk_id=0, doc_id="doc", title=title, section="", text=text)


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    return Settings(data_dir=data_dir, **overrides)  # type: ignore[arg-type]


def write_doc(folder: Path, doc_id: str, body: str, title: str | None = None) -> Path:
    """Write a small guidance document with front matter."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.md"
    path.write_text(
        f"---\nid: {doc_id}\ntitle: {title or doc_id.replace('-', ' ').title()}\n"
        "sources:\n  - publisher: MedlinePlus\n    url: https://medlineplus.gov/example.html\n"
        f"language: en\nicd10: [E11.9]\ndrugs: []\n---\n\n# {title or doc_id}\n\n{body}\n",
        encoding="utf-8",
    )
    return path
