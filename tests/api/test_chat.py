"""POST /v1/chat with real generation (SmolLM2) through the ASGI app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from careexplain.api.app import create_app
from careexplain.api.state import AppState
from careexplain.evaluation.claims import unsupported_claims
from careexplain.generate.backends.base import ChatMessage, GenerationParams, RequestQueue
from careexplain.safety import messages
from careexplain.storage.conversations import ConversationStore
from careexplain.text.sentences import citations, split_sentences

pytestmark = pytest.mark.integration

QUESTIONS = [
    "How should I store my insulin?",
    "What are the signs of low blood sugar?",
    "Can I eat spinach if I take warfarin?",
    "What is atrial fibrillation?",
    "How can I lower my blood pressure?",
    "What does metformin do?",
    "What are the side effects of statins?",
    "How do I prepare for a colonoscopy?",
    "How do I care for my surgical wound?",
    "What is COPD?",
    "How do I know if I have the flu?",
    "What can I do about heartburn?",
    "How do I prevent falls at home?",
    "Why should I quit smoking?",
    "What is sleep apnea?",
    "What causes a urinary tract infection?",
    "How is pneumonia treated?",
    "What is sepsis?",
    "What are the warning signs of a stroke?",
    "What is heart failure?",
    "How do ACE inhibitors work?",
    "What is a water pill?",
    "Why do I need to finish my antibiotics?",
    "What is hypothyroidism?",
    "How do I check my blood pressure at home?",
    "What foods are good for my heart?",
    "What is osteoporosis?",
    "What helps with anxiety?",
    "How is asthma treated?",
    "What is chronic kidney disease?",
]


@pytest.fixture(scope="module")
def answers(client: TestClient) -> list[dict[str, Any]]:
    """All 30 questions answered once over HTTP; several tests read the results."""
    out = []
    for question in QUESTIONS:
        res = client.post("/v1/chat", json={"message": question})
        assert res.status_code == 200, res.text
        out.append(res.json())
    return out


def test_the_response_has_the_documented_shape(answers: list[dict[str, Any]]) -> None:
    body = answers[0]
    assert set(body) >= {"answer", "citations", "grounding", "safety", "session_id"}
    assert body["safety"]["action"] == "allow"
    assert {"sentences_kept", "sentences_removed", "removed_by_reason", "fallback"} <= set(
        body["grounding"]
    )


def test_every_sentence_shown_cites_a_returned_source(answers: list[dict[str, Any]]) -> None:
    for body in answers:
        if body["grounding"]["fallback"] == "not_covered":
            continue
        numbers = {c["n"] for c in body["citations"]}
        for sentence in split_sentences(body["answer"]):
            cited = citations(sentence)
            assert cited, f"uncited sentence shown: {sentence!r}"
            assert set(cited) <= numbers


def test_no_answer_states_a_fact_its_sources_lack(answers: list[dict[str, Any]]) -> None:
    problems = []
    for body in answers:
        sources = {c["n"]: c["text"] for c in body["citations"]}
        problems += unsupported_claims(body["answer"], sources) if sources else []
    assert problems == []


def test_most_questions_get_a_grounded_answer(answers: list[dict[str, Any]]) -> None:
    covered = [b for b in answers if b["grounding"]["fallback"] != "not_covered"]
    assert len(covered) >= 27
    assert all(b["grounding"]["fallback"] in ("none", "extractive") for b in covered)


def test_emergencies_are_escalated_without_the_model(client: TestClient) -> None:
    body = client.post("/v1/chat", json={"message": "I have crushing chest pain"}).json()
    assert body["safety"]["action"] == "escalate"
    assert body["answer"].startswith(messages.EMERGENCY["en"])
    assert body["citations"] == []
    assert "generation" not in body["timings_ms"]


def test_personal_dose_requests_get_the_fixed_decline_then_general_facts(
    client: TestClient,
) -> None:
    body = client.post("/v1/chat", json={"message": "How much insulin should I take?"}).json()
    assert body["safety"]["action"] == "decline"
    assert body["answer"].startswith(messages.DECLINE_DOSE["en"])
    general = body["answer"].removeprefix(messages.DECLINE_DOSE["en"])
    assert all(citations(s) for s in split_sentences(general))


def test_off_topic_questions_are_not_covered(client: TestClient) -> None:
    body = client.post("/v1/chat", json={"message": "What is the capital of France?"}).json()
    assert body["grounding"]["fallback"] == "not_covered"
    assert "does not cover" in body["answer"]
    assert "care team" in body["answer"]
    assert body["citations"] == []


def test_follow_ups_use_the_stored_conversation(client: TestClient, app_state: AppState) -> None:
    first = client.post("/v1/chat", json={"message": "What is metformin?"}).json()
    follow = client.post(
        "/v1/chat",
        json={"message": "what about its side effects?", "session_id": first["session_id"]},
    ).json()
    assert follow["session_id"] == first["session_id"]
    assert follow["query"].lower().startswith("metformin")
    # A fresh store on the same database sees the turns: they survive a restart.
    store = ConversationStore(app_state.settings.database_url)
    assert len(store.history(first["session_id"])) == 4


def test_spanish_requests_get_spanish_notices(client: TestClient) -> None:
    body = client.post(
        "/v1/chat", json={"message": "¿Qué es la diabetes tipo 2?", "language": "es"}
    ).json()
    assert "Nuestras guías están en inglés" in body["answer"]
    alarm = client.post("/v1/chat", json={"message": "tengo dolor de pecho", "language": "es"})
    assert "Llame al 911" in alarm.json()["answer"]


def _events(client: TestClient, payload: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    with client.stream(
        "POST", "/v1/chat", json=payload, headers={"Accept": "text/event-stream"}
    ) as res:
        assert res.status_code == 200
        assert res.headers["content-type"].startswith("text/event-stream")
        event = None
        for line in res.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event:
                yield event, json.loads(line.split(":", 1)[1])


def test_sse_streams_tokens_before_the_final_event(client: TestClient) -> None:
    events = list(_events(client, {"message": "What are the warning signs of a stroke?"}))
    names = [name for name, _ in events]
    assert names[-1] == "done"
    assert names.count("token") >= 1
    assert names.index("token") < names.index("done")
    streamed = "".join(data["text"] for name, data in events if name == "token")
    assert " ".join(streamed.split()) == " ".join(events[-1][1]["answer"].split())


@pytest.mark.parametrize(
    ("payload", "field", "problem"),
    [
        ({"message": ""}, "message", "at least 1 character"),
        ({"message": "   "}, "message", "at least 1 character"),
        ({"message": "x" * 20_000}, "message", "at most 4000 characters"),
        ({"message": "hi", "reading_level": 2}, "reading_level", "greater than or equal to 3"),
        ({"message": "hi", "reading_level": 13}, "reading_level", "less than or equal to 12"),
        ({"message": "hi", "language": "fr"}, "language", "'en' or 'es'"),
        ({"message": "hi", "session_id": "../../etc"}, "session_id", "should match pattern"),
        ({}, "message", "Field required"),
    ],
)
def test_bad_input_gets_422_naming_the_field(
    client: TestClient, payload: dict[str, Any], field: str, problem: str
) -> None:
    res = client.post("/v1/chat", json=payload)
    assert res.status_code == 422
    message = res.json()["error"]["message"]
    assert field in message
    assert problem in message
    assert "x" * 50 not in res.text


def test_malformed_json_gets_422(client: TestClient) -> None:
    res = client.post(
        "/v1/chat", content=b'{"message": "hi"', headers={"Content-Type": "application/json"}
    )
    assert res.status_code == 422
    assert "JSON" in res.json()["error"]["message"]


class _BrokenBackend:
    name = "broken"

    def stream(self, messages: list[ChatMessage], params: GenerationParams) -> Iterator[str]:
        yield "The start of an answer"
        raise ConnectionResetError("the model process died")

    def info(self) -> dict[str, Any]:
        return {"backend": "broken"}


def test_a_failing_backend_gives_503_not_500(app_state: AppState) -> None:
    state = AppState(app_state.settings, app_state.embedder, app_state.index, app_state.retriever)
    state.use_generator(_BrokenBackend())
    with TestClient(create_app(state.settings, state), raise_server_exceptions=False) as broken:
        res = broken.post("/v1/chat", json={"message": "What is metformin?"})
    assert res.status_code == 503
    assert res.json()["error"]["code"] == "E305"
    assert "Traceback" not in res.text


def test_a_full_queue_gives_503_with_retry_after(app_state: AppState) -> None:
    state = AppState(app_state.settings, app_state.embedder, app_state.index, app_state.retriever)
    state.use_generator(app_state.generator())
    state.queue = RequestQueue(workers=1, capacity=0, retry_after_s=7)
    state.chat.queue = state.queue
    with TestClient(create_app(state.settings, state)) as busy, state.queue.slot(1.0):
        res = busy.post("/v1/chat", json={"message": "What is metformin?"})
    assert res.status_code == 503
    assert res.json()["error"]["code"] == "E304"
    assert res.headers["retry-after"]
