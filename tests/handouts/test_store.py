"""Handout storage: versions, optimistic concurrency that loses nothing, durability."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from careexplain.errors import HandoutNotFoundError
from careexplain.handouts.store import HandoutEditConflictError, HandoutStore
from careexplain.settings import REPO_ROOT
from tests.handouts.sample import sample_content


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'handouts.sqlite'}"


def test_edit_with_the_current_version_makes_the_next(url: str) -> None:
    store = HandoutStore(url)
    created = store.create(sample_content())
    assert created.version == 1
    edited = sample_content().model_copy(update={"title": "Ann's care plan"})
    updated = store.update(created.id, edited, based_on=1)
    assert updated.version == 2
    assert store.get(created.id).content.title == "Ann's care plan"


def test_stale_edit_is_rejected_and_kept(url: str) -> None:
    store = HandoutStore(url)
    handout = store.create(sample_content())
    first = sample_content().model_copy(update={"title": "First editor"})
    second = sample_content().model_copy(update={"title": "Second editor"})
    store.update(handout.id, first, based_on=1)
    with pytest.raises(HandoutEditConflictError) as info:
        store.update(handout.id, second, based_on=1)
    assert info.value.code == "E602"
    assert info.value.http_status == 409
    assert info.value.current_version == 2
    assert store.get(handout.id).content.title == "First editor"
    revisions = store.revisions(handout.id)
    assert [(r.status, r.version, r.based_on) for r in revisions] == [
        ("accepted", 1, None),
        ("accepted", 2, 1),
        ("rejected", None, 1),
    ]
    kept = store.revision(handout.id, info.value.rejected_revision)
    assert kept.content.title == "Second editor"


def test_unknown_ids(url: str) -> None:
    store = HandoutStore(url)
    with pytest.raises(HandoutNotFoundError):
        store.get("nope")
    with pytest.raises(HandoutNotFoundError):
        store.update("nope", sample_content(), based_on=1)
    with pytest.raises(HandoutNotFoundError):
        store.revisions("nope")
    handout = store.create(sample_content())
    with pytest.raises(HandoutNotFoundError):
        store.revision(handout.id, 9)


def test_drafts_survive_a_process_restart(url: str) -> None:
    store = HandoutStore(url)
    handout = store.create(sample_content())
    store.update(handout.id, sample_content().model_copy(update={"title": "Saved"}), 1)
    # A new process, a new store on the same database file.
    code = (
        "import sys; from careexplain.handouts.store import HandoutStore; "
        "h = HandoutStore(sys.argv[1]).get(sys.argv[2]); print(h.version, h.content.title)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, url, handout.id],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert out.stdout.strip() == "2 Saved"
