"""--base-url: the same suites against a real uvicorn server over the network stack."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from careexplain.api.app import create_app
from careexplain.api.state import AppState
from careexplain.evaluation.config import load_file
from careexplain.evaluation.runner import run

pytestmark = pytest.mark.integration

SUITE = """
suites:
  retrieval:
    modes: [bm25, hybrid]
    datasets:
      - kind: trec
        name: guidance
        qrels: eval/cases/guidance.qrels
        topics: eval/cases/guidance.topics
      - {kind: medquad, name: medquad, documents: 20, questions: 5}
  safety:
    categories: [red_flag_en, injection_document]
    limit_per_category: 1
thresholds:
  retrieval.guidance.hybrid.recall@5: ">= 0.8"
"""


@pytest.fixture(scope="module")
def server(app_state: AppState) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(app_state.settings, app_state)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


def test_a_deployed_service_is_evaluated_by_url(
    server: str, app_state: AppState, tmp_path: Path
) -> None:
    (tmp_path / "suite.yaml").write_text(SUITE, encoding="utf-8")
    settings = app_state.settings.model_copy(update={"data_dir": tmp_path / "data"})
    results, _ = run(
        load_file(tmp_path / "suite.yaml"),
        settings,
        base_url=server,
        out_dir=tmp_path / "run",
        progress=False,
        embedder=app_state.embedder,
    )
    assert results.environment.target == server
    assert results.environment.indexes["deployed"]["index"]["documents"] == 44  # from /health
    retrieval = results.suites["retrieval"]
    assert retrieval.scores["guidance"]["hybrid"]["recall@5"] >= 0.8
    # A data set that needs its own index cannot be built on someone else's server.
    assert retrieval.scores["medquad"] == {"unavailable": 1}
    safety = {c.id: c for c in results.suites["safety"].cases}
    assert safety["rf-chest-pain"].passed
    assert "needs its own index" in safety["inj-doc-canary"].details["unavailable"]
    assert results.passed
    # Nothing was built locally: the server's index was used.
    assert not (tmp_path / "data" / "eval" / "indexes").exists()
