# The two commands a new user needs (see README):
#   make serve   install everything, index the bundled guidance, serve on http://127.0.0.1:8000
#   make test    install everything, then lint, type-check and run the test suite
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install test-tools serve test lint typecheck pytest bench

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

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/retrieval_medquad.py
	$(BIN)/python bench/generation.py --dtypes bfloat16 int8 --chat-model smollm2-135m-instruct --per-user 2
