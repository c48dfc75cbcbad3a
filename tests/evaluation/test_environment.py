"""What a run records about itself: secrets masked, versions and commit present."""

from __future__ import annotations

from careexplain.evaluation.environment import git_info, package_versions, public_settings
from careexplain.settings import Settings


def test_secrets_are_masked_and_other_settings_kept() -> None:
    recorded = public_settings(
        Settings(openai_api_key="sk-secret", database="postgresql://user:pw@db/care")
    )
    assert recorded["openai_api_key"] == "***"
    assert recorded["database"] == "postgresql://user:***@db/care"
    assert recorded["max_new_tokens"] == Settings().max_new_tokens  # not a secret
    assert recorded["openai_model"] == ""  # empty values stay visible


def test_versions_and_commit() -> None:
    versions = package_versions()
    assert versions["fastapi"]
    assert versions["pydantic"].startswith("2.")
    info = git_info()
    assert len(info.get("commit", "x" * 40)) == 40
