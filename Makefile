# The two commands a new user needs (see README):
#   make serve   install everything, index the bundled guidance, serve on http://127.0.0.1:8000
#   make test    install everything, then lint, type-check and run the test suite
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install test-tools serve test lint typecheck pytest eval-smoke eval bench

install:
	@bash scripts/install.sh

test-tools:
	@bash scripts/install-test-tools.sh

serve: install
	$(BIN)/careexplain serve

lint: install
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench

typecheck: install
	$(BIN)/mypy

pytest: install test-tools
	$(BIN)/pytest

# The smoke evaluation gates the build: it exits non-zero when a threshold in
# eval/suites/smoke.yaml fails. Its report is data/eval/runs/smoke/report.html.
eval-smoke: install
	$(BIN)/careexplain eval smoke --out data/eval/runs/smoke --no-progress

eval: install
	$(BIN)/careexplain eval full --out data/eval/runs/full

test: lint typecheck pytest eval-smoke

bench: install
	$(BIN)/python bench/retrieval_medquad.py
	$(BIN)/python bench/generation.py --dtypes bfloat16 int8 --chat-model smollm2-135m-instruct --per-user 2
