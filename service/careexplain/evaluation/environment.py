"""The exact configuration of a run: settings, models and digests, indexes, versions, commit."""

from __future__ import annotations

import importlib.metadata as md
import os
import platform
import re
import subprocess
from typing import Any

from careexplain.evaluation.results import Environment
from careexplain.generate.models import MODELS
from careexplain.index.embeddings import Embedder
from careexplain.settings import REPO_ROOT, Settings

PACKAGES = (
    "careexplain",
    "torch",
    "transformers",
    "sentence-transformers",
    "faiss-cpu",
    "fastapi",
    "httpx",
    "pydantic",
    "spacy",
    "medspacy",
    "presidio-analyzer",
    "textstat",
    "numpy",
    "matplotlib",
)
_SECRET = ("_key", "_token", "_password", "_secret")
_URL_PASSWORD = re.compile(r"(//[^:/@]+:)[^@]+@")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            continue
    return versions


def git_info() -> dict[str, str]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    try:
        return {
            "commit": git("rev-parse", "HEAD"),
            "dirty": str(bool(git("status", "--porcelain"))),
        }
    except (OSError, subprocess.SubprocessError):
        return {}


def public_settings(settings: Settings) -> dict[str, Any]:
    """Every setting, secrets masked."""
    out: dict[str, Any] = {}
    for key, value in settings.model_dump(mode="json").items():
        if value and key.endswith(_SECRET):
            value = "***"
        elif isinstance(value, str):
            value = _URL_PASSWORD.sub(r"\1***@", value)
        out[key] = value
    return out


def model_info(settings: Settings, embedder: Embedder) -> dict[str, dict[str, Any]]:
    models: dict[str, dict[str, Any]] = {
        "embedding": {"name": embedder.name, "digest": embedder.digest, "dtype": embedder.dtype}
    }
    generator: dict[str, Any] = {
        "backend": settings.generator_backend,
        "name": settings.generator_model,
        "dtype": settings.generator_dtype,
    }
    spec = MODELS.get(settings.generator_model)
    if settings.generator_backend == "openai":
        generator.update(name=settings.openai_model, base_url=settings.openai_base_url)
    elif spec is not None:
        generator.update(sha256=spec.sha256, file=spec.gguf_name, licence=spec.licence)
    models["generator"] = generator
    return models


def describe(
    settings: Settings, embedder: Embedder, target: str, indexes: dict[str, dict[str, Any]]
) -> Environment:
    return Environment(
        target=target,
        settings=public_settings(settings),
        models=model_info(settings, embedder),
        indexes=indexes,
        packages=package_versions(),
        git=git_info(),
        python=platform.python_version(),
        platform=platform.platform(),
        cpus=os.cpu_count() or 0,
    )
