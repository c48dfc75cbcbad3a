"""Model provisioning: verified against pinned digests, fail closed, exported once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from careexplain.errors import ModelIntegrityError, ModelNotAvailableError
from careexplain.generate.models import MODELS, ModelSpec, is_exported, provision, resolve_model
from tests.helpers import FAST_MODEL


def _spec(tmp_path: Path, content: bytes, sha256: str, size: int) -> ModelSpec:
    def assemble(target: Path) -> None:
        target.write_bytes(content)

    return ModelSpec(
        name="fake",
        gguf_name="fake.gguf",
        sha256=sha256,
        size=size,
        assemble=assemble,
        licence="test",
        install_hint="Reinstall it.",
    )


def test_wrong_size_is_refused_before_hashing(tmp_path: Path) -> None:
    spec = _spec(tmp_path, b"not a model", "0" * 64, size=1234)
    with pytest.raises(
        ModelIntegrityError, match=r"\[E303\] fake.gguf is 11 bytes, expected 1,234"
    ):
        provision(spec, tmp_path / "models")
    assert not (tmp_path / "models" / "fake").exists()


def test_wrong_digest_is_refused(tmp_path: Path) -> None:
    content = b"GGUF pretending to be a model"
    spec = _spec(tmp_path, content, "f" * 64, size=len(content))
    with pytest.raises(ModelIntegrityError, match=r"refusing to load it\. Reinstall it\."):
        provision(spec, tmp_path / "models")
    assert not (tmp_path / "models" / "fake").exists()
    actual = hashlib.sha256(content).hexdigest()
    assert actual[:16] not in "f" * 64


def test_unknown_model_reference(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailableError, match="Unknown model 'gpt-9'"):
        resolve_model("gpt-9", tmp_path)


@pytest.mark.integration
def test_smollm2_is_verified_and_exported_once() -> None:
    spec = MODELS["smollm2-135m-instruct"]
    folder = provision(spec, FAST_MODEL["models_cache"])  # type: ignore[arg-type]
    assert is_exported(folder, spec)
    assert (folder / "config.json").exists()
    assert list(folder.glob("*.safetensors"))
    # A second call reuses the export.
    assert provision(spec, FAST_MODEL["models_cache"]) == folder  # type: ignore[arg-type]
