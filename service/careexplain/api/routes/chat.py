"""Patient chat: JSON, or Server-Sent Events with ``Accept: text/event-stream``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from careexplain.api.deps import StateDep
from careexplain.chat.models import ChatEvent, ChatRequest, ChatResponse
from careexplain.errors import CareExplainError

router = APIRouter(prefix="/v1", tags=["chat"])


def wants_stream(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "")


async def first_and_rest(events: Iterator[ChatEvent]) -> tuple[ChatEvent, AsyncIterator[ChatEvent]]:
    """Run the flow up to its first event before answering, so that an early failure (busy,
    no model) is still a plain HTTP error rather than a broken stream."""
    first = await run_in_threadpool(next, events)
    return first, iterate_in_threadpool(events)


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        200: {"content": {"text/event-stream": {}}},
        503: {"description": "Busy or no model"},
    },
)
async def chat(body: ChatRequest, request: Request, state: StateDep) -> Response:
    """Answer a patient's message from the guidance, with citations."""
    if not wants_stream(request):
        answer = await run_in_threadpool(state.chat.answer, body)
        return JSONResponse(answer.model_dump(mode="json"))
    first, rest = await first_and_rest(state.chat.stream(body))

    async def events() -> AsyncIterator[dict[str, str]]:
        pending: ChatEvent | None = first
        try:
            while pending is not None:
                yield _sse(pending)
                pending = await anext(rest, None)
        except CareExplainError as exc:
            yield {"event": "error", "data": json.dumps({"code": exc.code, "message": exc.message})}

    return EventSourceResponse(events(), ping=15)


def _sse(event: ChatEvent) -> dict[str, str]:
    if event.event == "done":
        data = json.dumps(event.data.model_dump(mode="json"), ensure_ascii=False)
    else:
        data = json.dumps({"text": event.data}, ensure_ascii=False)
    return {"event": event.event, "data": data}
