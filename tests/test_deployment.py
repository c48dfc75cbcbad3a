"""docker-compose.yml and the Dockerfile agree with the app (no Docker engine needed)."""

from __future__ import annotations

import re

import yaml

from careexplain.api.app import create_app
from careexplain.settings import REPO_ROOT, Settings

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_compose_environment_names_real_settings() -> None:
    service = COMPOSE["services"]["careexplain"]
    fields = {name.upper() for name in Settings.model_fields}
    for var in service["environment"]:
        assert var.startswith("CAREEXPLAIN_")
        assert var.removeprefix("CAREEXPLAIN_") in fields, f"{var} is not a setting"
    dockerfile_vars = re.findall(r"(CAREEXPLAIN_\w+)=", DOCKERFILE)
    assert dockerfile_vars
    assert all(v.removeprefix("CAREEXPLAIN_") in fields for v in dockerfile_vars)


def test_compose_serves_the_port_and_persists_the_data_dir() -> None:
    service = COMPOSE["services"]["careexplain"]
    assert any(p.endswith(":8000") for p in service["ports"])
    data_dir = service["environment"]["CAREEXPLAIN_DATA_DIR"]
    assert any(v.endswith(f":{data_dir}") for v in service["volumes"])
    assert service["build"]["context"] == "."


def test_healthchecks_hit_a_real_route() -> None:
    paths = set(create_app(Settings()).openapi()["paths"])
    compose_check = " ".join(COMPOSE["services"]["careexplain"]["healthcheck"]["test"])
    for text in (compose_check, DOCKERFILE):
        (url,) = set(re.findall(r"http://127\.0\.0\.1:8000(/\w+)", text))
        assert url in paths


def test_dockerfile_copies_what_the_install_needs() -> None:
    copied = " ".join(re.findall(r"^COPY (.+)$", DOCKERFILE, re.MULTILINE))
    for needed in ("pyproject.toml", "README.md", "scripts/", "service/", "knowledge_base/"):
        assert needed in copied, f"the image needs {needed}"
        assert (REPO_ROOT / needed).exists()
    assert "scripts/install.sh" in DOCKERFILE
    assert 'careexplain", "serve"]' in DOCKERFILE
