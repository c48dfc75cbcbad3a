"""/v1/chat/completions works with the openai client and LangChain's ChatOpenAI, unchanged."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from langchain_openai import ChatOpenAI
from openai import OpenAI

from careexplain.errors import GeneratorFailedError
from careexplain.generate.backends.base import ChatMessage, GenerationParams
from careexplain.generate.backends.openai_http import OpenAIHTTPGenerator
from careexplain.text.sentences import citations, split_sentences

pytestmark = pytest.mark.integration


@pytest.fixture
def openai_client(client: TestClient) -> OpenAI:
    # The test client is an httpx client bound to the ASGI app: real HTTP, no network.
    return OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=client)


def test_openai_client_without_streaming(openai_client: OpenAI) -> None:
    completion = openai_client.chat.completions.create(
        model="careexplain",
        messages=[{"role": "user", "content": "How do I prevent falls at home?"}],
    )
    content = completion.choices[0].message.content or ""
    assert completion.choices[0].finish_reason == "stop"
    assert all(citations(s) for s in split_sentences(content))
    extra = completion.model_extra or {}
    assert extra["careexplain"]["citations"]


def test_openai_client_with_streaming(openai_client: OpenAI) -> None:
    stream = openai_client.chat.completions.create(
        model="careexplain",
        messages=[{"role": "user", "content": "What is a water pill?"}],
        stream=True,
    )
    pieces, finish = [], None
    for chunk in stream:
        pieces.append(chunk.choices[0].delta.content or "")
        finish = chunk.choices[0].finish_reason or finish
    text = "".join(pieces).strip()
    assert finish == "stop"
    assert sum(1 for p in pieces if p) >= 2
    assert all(citations(s) for s in split_sentences(text))


def test_openai_client_emergency_and_history(openai_client: OpenAI) -> None:
    completion = openai_client.chat.completions.create(
        model="careexplain",
        messages=[
            {"role": "user", "content": "What is warfarin?"},
            {"role": "assistant", "content": "Warfarin is a blood thinner [1]."},
            {"role": "user", "content": "my husband's face is drooping"},
        ],
    )
    assert "911" in (completion.choices[0].message.content or "")


def test_langchain_chat_openai(client: TestClient) -> None:
    llm = ChatOpenAI(
        model="careexplain",
        base_url="http://testserver/v1",
        api_key="unused",
        http_client=client,
        max_retries=0,
    )
    reply = llm.invoke("How do I check my blood pressure at home?")
    assert isinstance(reply.content, str)
    assert citations(reply.content)


def test_bad_completion_requests(client: TestClient) -> None:
    res = client.post("/v1/chat/completions", json={"model": "careexplain", "messages": []})
    assert res.status_code == 422
    res = client.post(
        "/v1/chat/completions", json={"messages": [{"role": "user", "content": "   "}]}
    )
    assert res.status_code == 422
    assert "last user message is empty" in res.json()["error"]["message"]
    assert client.get("/v1/models").json()["data"][0]["id"] == "careexplain"


def test_our_openai_backend_speaks_to_an_openai_server(client: TestClient) -> None:
    # Our own endpoint is a real OpenAI-compatible server: the backend streams from it.
    backend = OpenAIHTTPGenerator("http://testserver/v1", "careexplain", client=client)
    text = "".join(
        backend.stream(
            [ChatMessage(role="user", content="What is COPD?")], GenerationParams(timeout_s=120)
        )
    )
    assert citations(text)


def test_openai_backend_retries_then_fails_cleanly() -> None:
    calls = []

    def server(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(503, json={"error": "overloaded"})

    backend = OpenAIHTTPGenerator(
        "http://model.invalid/v1",
        "m",
        retries=2,
        client=httpx.Client(transport=httpx.MockTransport(server)),
    )
    with pytest.raises(GeneratorFailedError, match="HTTP 503"):
        list(backend.stream([ChatMessage(role="user", content="hi")], GenerationParams()))
    assert len(calls) == 3


def test_openai_backend_parses_streamed_deltas() -> None:
    body = (
        'data: {"choices":[{"delta":{"role":"assistant"}}]}\n\n'
        'data: {"choices":[{"delta":{"content":"Hello"}}]}\n\n'
        'data: {"choices":[{"delta":{"content":" there."}}]}\n\n'
        "data: [DONE]\n\n"
    )
    transport = httpx.MockTransport(lambda r: httpx.Response(200, text=body))
    backend = OpenAIHTTPGenerator(
        "http://m.invalid/v1", "m", client=httpx.Client(transport=transport)
    )
    pieces = list(backend.stream([ChatMessage(role="user", content="hi")], GenerationParams()))
    assert pieces == ["Hello", " there."]
