"""Prompts rendered from versioned Jinja2 templates in ``prompts/`` (sandboxed)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from careexplain.settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
ANSWER_TEMPLATE = "answer.v1.j2"


@lru_cache(maxsize=4)
def environment(folder: Path = PROMPTS_DIR) -> SandboxedEnvironment:
    # Sandboxed: guidance text and patient context are data, never template code.
    return SandboxedEnvironment(
        loader=FileSystemLoader(folder),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **variables: Any) -> str:
    """Render a prompt template with its variables (missing variables are an error)."""
    return environment().get_template(template).render(**variables).strip()


def template_version(template: str) -> str:
    return template.removesuffix(".j2")
