"""Optional LLM-as-judge faithfulness through any OpenAI-compatible endpoint (off by default)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping

import httpx
import httpx2

from careexplain.evaluation.config import JudgeConfig
from careexplain.evaluation.target import HttpClient

PROMPT = (
    "You check whether an answer is faithful to its numbered sources. Reply with JSON only: "
    '{"score": <number from 0 to 1>, "reason": "<one sentence>"}. 1 means every statement in '
    "the answer is supported by the source it cites; 0 means none is."
)
_SCORE = re.compile(r"\{.*\}", re.DOTALL)


class Judge:
    """Scores faithfulness 0-1; ``None`` whenever the judge cannot give a usable verdict."""

    def __init__(self, config: JudgeConfig, client: HttpClient | None = None) -> None:
        self.config = config
        key = os.environ.get(config.api_key_env, "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.client: HttpClient = client or httpx.Client(
            base_url=config.base_url.rstrip("/"), timeout=config.timeout_s, headers=headers
        )

    def faithfulness(self, question: str, answer: str, sources: Mapping[int, str]) -> float | None:
        listed = "\n".join(f"[{n}] {text}" for n, text in sorted(sources.items()))
        body = {
            "model": self.config.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": PROMPT},
                {
                    "role": "user",
                    "content": f"Sources:\n{listed}\n\nQuestion: {question}\n\nAnswer: {answer}",
                },
            ],
        }
        try:
            response = self.client.post("/chat/completions", json=body)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
            match = _SCORE.search(content)
            score = float(json.loads(match.group(0))["score"]) if match else None
        except (httpx.HTTPError, httpx2.HTTPError, KeyError, IndexError, ValueError, TypeError):
            return None
        return None if score is None else min(1.0, max(0.0, score))
