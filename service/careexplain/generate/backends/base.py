"""The generator interface every backend implements, and its bounded request queue."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from careexplain.errors import GeneratorBusyError


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class GenerationParams(BaseModel):
    max_new_tokens: int = Field(default=256, ge=1, le=4096)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    timeout_s: float = Field(default=120.0, gt=0.0)


class Generator(Protocol):
    """Text in, token stream out."""

    name: str

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        """Yield text pieces as the model produces them."""
        ...

    def info(self) -> dict[str, Any]:
        """What is loaded (reported in /health and evaluation runs)."""
        ...


class RequestQueue:
    """At most ``workers`` generations run at once and ``capacity`` wait; beyond that, E304."""

    def __init__(self, workers: int, capacity: int, retry_after_s: int = 10) -> None:
        self._run = threading.Semaphore(workers)
        self._admit = threading.Semaphore(workers + capacity)
        self.retry_after_s = retry_after_s

    @contextmanager
    def slot(self, wait_s: float) -> Iterator[None]:
        if not self._admit.acquire(blocking=False):
            raise GeneratorBusyError(
                f"The answer service is busy. Please try again in {self.retry_after_s} seconds."
            )
        try:
            if not self._run.acquire(timeout=wait_s):
                raise GeneratorBusyError(
                    f"The answer service is busy. Please try again in {self.retry_after_s} seconds."
                )
            try:
                yield
            finally:
                self._run.release()
        finally:
            self._admit.release()
