"""OpenAI-compatible chat completions: the openai client and LangChain's ChatOpenAI work as is.

The conversation comes in ``messages`` (stateless, as in OpenAI's API); the answer is the same
grounded, cited answer as ``/v1/chat``, with citations and the guard's report under the extra
``careexplain`` key.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from careexplain.api.deps import StateDep
from careexplain.api.errors import ApiError
from careexplain.api.routes.chat import first_and_rest
from careexplain.chat.models import MAX_MESSAGE_CHARS, ChatEvent, ChatRequest, ChatResponse
from careexplain.errors import CareExplainError

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
MODEL_ID = "careexplain"


class OpenAIMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class CompletionRequest(BaseModel):
    model: str = MODEL_ID
    messages: Annotated[list[OpenAIMessage], Field(min_length=1, max_length=100)]
    stream: bool = False
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=4096)
    max_completion_tokens: int | None = Field(default=None, ge=1, le=4096)
    reading_level: int = Field(default=6, ge=3, le=12, description="CareExplain extension.")

    def to_chat(self) -> tuple[ChatRequest, list[str]]:
        users = [m.text() for m in self.messages if m.role == "user"]
        if not users or not users[-1].strip():
            raise ApiError(
                422, "E422", "Invalid request. messages: the last user message is empty."
            )
        if len(users[-1]) > MAX_MESSAGE_CHARS:
            raise ApiError(
                422,
                "E422",
                f"Invalid request. messages: the last user message is over {MAX_MESSAGE_CHARS} "
                "characters.",
            )
        # A system message carries what the care team wants the answer to consider.
        context = " ".join(m.text() for m in self.messages if m.role in ("system", "developer"))
        request = ChatRequest(
            message=users[-1],
            reading_level=self.reading_level,
            patient_context=context[:2000] or None,
        )
        return request, users[:-1]


@router.get("/models")
def models() -> dict[str, Any]:
    """The one model this endpoint serves."""
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "owned_by": "careexplain"}],
    }


@router.post("/chat/completions")
async def chat_completions(body: CompletionRequest, state: StateDep) -> Response:
    """OpenAI chat completions, answered by CareExplain's grounded chat."""
    request, prior = body.to_chat()
    completion_id = f"chatcmpl-{secrets.token_hex(12)}"
    created = int(time.time())
    if not body.stream:
        answer = await run_in_threadpool(state.chat.answer, request, prior)
        return JSONResponse(_completion(completion_id, created, answer))
    first, rest = await first_and_rest(state.chat.stream(request, prior))

    async def chunks() -> AsyncIterator[str]:
        yield _chunk(completion_id, created, {"role": "assistant", "content": ""})
        event: ChatEvent | None = first
        try:
            while event is not None:
                if event.event == "token":
                    yield _chunk(completion_id, created, {"content": event.data})
                else:
                    done: ChatResponse = event.data
                    yield _chunk(completion_id, created, {}, "stop", _extension(done))
                event = await anext(rest, None)
        except CareExplainError as exc:
            yield json.dumps({"error": {"code": exc.code, "message": exc.message}})
        yield "[DONE]"

    return EventSourceResponse(chunks(), ping=15)


def _extension(answer: ChatResponse) -> dict[str, Any]:
    return {
        "careexplain": {
            "citations": [c.model_dump() for c in answer.citations],
            "grounding": answer.grounding.model_dump(exclude={"verdicts"}),
            "safety": answer.safety.model_dump(),
        }
    }


def _completion(completion_id: str, created: int, answer: ChatResponse) -> dict[str, Any]:
    words = len(answer.answer.split())
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.answer},
                "finish_reason": "stop",
            }
        ],
        # Word counts, not model tokens: the answer is assembled after the guard.
        "usage": {"prompt_tokens": 0, "completion_tokens": words, "total_tokens": words},
        **_extension(answer),
    }


def _chunk(
    completion_id: str,
    created: int,
    delta: dict[str, Any],
    finish: str | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    return json.dumps(
        {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **(extra or {}),
        }
    )
