"""Any OpenAI-compatible chat-completions server (vLLM, TGI, llama.cpp server) over HTTP."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from careexplain.errors import GeneratorFailedError
from careexplain.generate.backends.base import ChatMessage, GenerationParams

log = logging.getLogger(__name__)
RETRYABLE = {429, 500, 502, 503, 504}


class OpenAIHTTPGenerator:
    """Streams ``/chat/completions``; retries connection errors and 5xx before the first token."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout_s: float = 60.0,
        retries: int = 2,
        client: httpx.Client | None = None,
    ) -> None:
        self.name = model
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=10.0), headers=headers
        )

    def info(self) -> dict[str, Any]:
        return {"backend": "openai", "model": self.name, "base_url": self.base_url}

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        body = {
            "model": self.name,
            "messages": [m.model_dump() for m in messages],
            "stream": True,
            "max_tokens": params.max_new_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
        }
        deadline = time.monotonic() + params.timeout_s
        for attempt in range(self.retries + 1):
            started = False
            try:
                with self.client.stream(
                    "POST", f"{self.base_url}/chat/completions", json=body
                ) as response:
                    if response.status_code in RETRYABLE and attempt < self.retries:
                        time.sleep(min(0.5 * 2.0**attempt, 4.0))
                        continue
                    if response.status_code >= 400:
                        raise GeneratorFailedError(
                            f"The model server answered HTTP {response.status_code}."
                        )
                    for piece in _sse_deltas(response.iter_lines()):
                        started = True
                        yield piece
                        if time.monotonic() > deadline:
                            raise GeneratorFailedError(
                                f"The model server did not finish within {params.timeout_s:.0f} s."
                            )
                    return
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if started or attempt >= self.retries:
                    raise GeneratorFailedError(
                        f"The model server at {self.base_url} could not be reached "
                        f"({type(exc).__name__})."
                    ) from exc
                time.sleep(min(0.5 * 2.0**attempt, 4.0))
        raise GeneratorFailedError("The model server kept failing; giving up after retries.")


def _sse_deltas(lines: Iterator[str]) -> Iterator[str]:
    """Content pieces from an OpenAI streaming response (``data: {...}`` lines)."""
    for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            chunk = json.loads(data)
        except ValueError:
            continue
        for choice in chunk.get("choices", []):
            piece = (choice.get("delta") or {}).get("content")
            if piece:
                yield piece
