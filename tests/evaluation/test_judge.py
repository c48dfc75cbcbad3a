"""The optional LLM judge against a tiny local OpenAI-compatible server."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from careexplain.evaluation.config import JudgeConfig
from careexplain.evaluation.judge import Judge


def fake_openai(reply: str, seen: list[dict[str, Any]]) -> FastAPI:
    app = FastAPI()

    @app.post("/chat/completions")
    def completions(body: dict[str, Any]) -> dict[str, Any]:
        seen.append(body)
        return {"choices": [{"message": {"role": "assistant", "content": reply}}]}

    return app


def test_the_judge_sends_sources_and_reads_the_score() -> None:
    seen: list[dict[str, Any]] = []
    client = TestClient(fake_openai('Verdict: {"score": 0.75, "reason": "one claim"}', seen))
    judge = Judge(JudgeConfig(enabled=True, model="judge-model"), client)
    score = judge.faithfulness("How to store insulin?", "Keep it cold [1].", {1: "Keep it cold."})
    assert score == 0.75
    assert seen[0]["model"] == "judge-model"
    assert "[1] Keep it cold." in seen[0]["messages"][1]["content"]


def test_an_unusable_verdict_is_none_and_scores_are_clamped() -> None:
    bad = Judge(JudgeConfig(enabled=True), TestClient(fake_openai("no idea", [])))
    assert bad.faithfulness("q", "a", {}) is None
    high = Judge(JudgeConfig(enabled=True), TestClient(fake_openai('{"score": 7}', [])))
    assert high.faithfulness("q", "a", {}) == 1.0
