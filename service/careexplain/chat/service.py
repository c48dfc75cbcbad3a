"""The chat flow: safety gate → retrieve → prompt → generate → grounding guard → answer."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence

from careexplain.chat.models import ChatEvent, ChatRequest, ChatResponse, Citation
from careexplain.chat.rewrite import rewrite_follow_up
from careexplain.errors import CareExplainError, GeneratorFailedError
from careexplain.generate.backends.base import (
    ChatMessage,
    GenerationParams,
    Generator,
    RequestQueue,
)
from careexplain.generate.extractive import extractive_answer
from careexplain.generate.grounding import (
    GroundingCheck,
    GroundingGuard,
    GroundingReport,
    SentenceVerdict,
    SourcePassage,
)
from careexplain.generate.prompting import ANSWER_TEMPLATE, render, template_version
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.retrieve.models import RetrievedChunk
from careexplain.safety.gate import assess
from careexplain.settings import Settings
from careexplain.storage.conversations import ConversationStore
from careexplain.text import medical_terms
from careexplain.text.plain_language import Rewriter, simplify_checked
from careexplain.text.sentences import citations as cited_numbers
from careexplain.text.sentences import split_sentences

NOT_COVERED = {
    "en": "Our guidance does not cover this question. Please ask your care team.",
    "es": "Nuestras guías no cubren esta pregunta. Por favor, pregunte a su equipo médico.",
}
CLOSEST = {"en": "Topics we do cover that may be close:", "es": "Temas cercanos que sí cubrimos:"}
ENGLISH_ONLY = {
    "es": "Nuestras guías están en inglés. Esta es la información de nuestras guías, en inglés:",
}
MAX_KEPT_SENTENCES = 6
# At or below this requested grade, kept sentences go through the grounded plain-language
# rewrite (glossary swaps and clause splits, each re-checked by the guard).
PLAIN_LANGUAGE_MAX_GRADE = 8
# A sentence is finished at . ! ? (or a closing citation) followed by space, or at a line end.
_BOUNDARY = re.compile(r"(?<=[.!?\]])[ \t]+(?=\S)|\n+")


class ChatService:
    """Answers patient messages; every sentence shown is checked against its cited source."""

    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever,
        guard: GroundingGuard,
        generator: Callable[[], Generator],
        queue: RequestQueue,
        conversations: ConversationStore,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.guard = guard
        self._generator = generator
        self.queue = queue
        self.conversations = conversations

    def answer(self, request: ChatRequest, prior_questions: Sequence[str] = ()) -> ChatResponse:
        """The whole answer at once (the same flow as :meth:`stream`)."""
        for event in self.stream(request, prior_questions):
            if event.event == "done":
                response: ChatResponse = event.data
                return response
        raise RuntimeError("chat stream ended without a final event")

    def stream(
        self, request: ChatRequest, prior_questions: Sequence[str] = ()
    ) -> Iterator[ChatEvent]:
        """Token events (only text that passed the guard), then ``done`` with the response.

        ``prior_questions``: earlier user turns sent by a stateless client (the OpenAI API).
        """
        started = time.perf_counter()
        timings: dict[str, float] = {}
        session_id = request.session_id or self.conversations.new_id()
        safety = assess(request.message, request.language)
        lang = request.language
        if safety.action == "escalate":
            # Emergencies get the fixed message at once: no retrieval, no model.
            assert safety.message is not None
            yield ChatEvent(event="token", data=safety.message)
            response = ChatResponse(
                answer=safety.message,
                citations=[],
                grounding=GroundingReport(),
                safety=safety,
                session_id=session_id,
                query=request.message,
                timings_ms={"total": _ms(started)},
            )
            self.conversations.add_exchange(session_id, request.message, response.answer, "")
            yield ChatEvent(event="done", data=response)
            return

        history = self.conversations.history(session_id) if request.session_id else []
        previous_topic = next((t.topic for t in reversed(history) if t.topic), None)
        if previous_topic is None and prior_questions:
            earlier = self.retriever.search(prior_questions[-1], 1)
            previous_topic = earlier[0].chunk.title if earlier else None
        query = rewrite_follow_up(request.message, previous_topic)
        hits = self.retriever.search(query, self.settings.retrieval_k, max_per_doc=2)
        timings["retrieval"] = _ms(started)
        sources = [_passage(i, h) for i, h in enumerate(hits, start=1)]
        context = request.patient_context or ""

        preface = [m for m in (safety.message, ENGLISH_ONLY.get(lang)) if m]
        for text in preface:
            yield ChatEvent(event="token", data=text + "\n\n")

        covered = (
            bool(hits)
            and max(h.dense_score or 0.0 for h in hits) >= self.settings.min_relevance
            and _names_found(query, sources)
        )
        kept: list[str] = []
        verdicts: list[SentenceVerdict] = []
        fallback = "none"
        generator_name: str | None = None
        if covered:
            check = self.guard.prepare(sources, context)
            plain = _plain(check, request.reading_level)
            generator = self._generator()
            generator_name = generator.name
            prompt = render(
                ANSWER_TEMPLATE,
                sources=[s.model_dump() for s in sources],
                reading_level=request.reading_level,
                patient_context=context or None,
                decline=safety.action == "decline",
            )
            messages = [
                ChatMessage(role="system", content=prompt),
                ChatMessage(role="user", content=request.message),
            ]
            params = GenerationParams(
                max_new_tokens=self.settings.max_new_tokens,
                timeout_s=self.settings.generation_timeout_s,
            )
            gen_started = time.perf_counter()
            # Kept sentences wait here until enough have passed the guard that no fallback
            # can replace them: whatever is streamed is final.
            pending: list[str] = []
            with self.queue.slot(self.settings.generation_queue_wait_s):
                tokens = _guarded(generator.stream(messages, params))
                for sentence in _sentences(tokens, timings, gen_started):
                    if len(kept) >= MAX_KEPT_SENTENCES:
                        break
                    verdict = check.check(sentence)
                    verdicts.append(verdict)
                    if not verdict.kept:
                        continue
                    shown = plain([verdict.text])
                    kept.extend(shown)
                    pending.extend(shown)
                    if len(kept) >= self.settings.min_supported_sentences:
                        for text in pending:
                            yield ChatEvent(event="token", data=text + " ")
                        pending = []
            timings["generation"] = _ms(gen_started)
            if len(kept) < self.settings.min_supported_sentences:
                kept = plain(self._extractive(query, sources, check))
                if kept:
                    fallback = "extractive"
                    for sentence in kept:
                        yield ChatEvent(event="token", data=sentence + " ")
                else:
                    covered = False
        if not covered:
            fallback = "not_covered"
            kept = []
            body = self._not_covered(lang, hits)
            yield ChatEvent(event="token", data=body)
        else:
            body = " ".join(kept)

        report = self.guard.report(verdicts)
        report.fallback = fallback  # type: ignore[assignment]
        answer = "\n\n".join([*preface, body]) if preface else body
        used = sorted({n for s in kept for n in cited_numbers(s)})
        response = ChatResponse(
            answer=answer,
            citations=[_citation(sources[n - 1]) for n in used if 0 < n <= len(sources)],
            grounding=report,
            safety=safety,
            session_id=session_id,
            query=query,
            prompt_version=template_version(ANSWER_TEMPLATE) if generator_name else None,
            model=generator_name,
            timings_ms={**timings, "total": _ms(started)},
        )
        topic = hits[0].chunk.title if hits and covered else (previous_topic or "")
        self.conversations.add_exchange(session_id, request.message, response.answer, topic)
        yield ChatEvent(event="done", data=response)

    def _extractive(
        self, query: str, sources: Sequence[SourcePassage], check: GroundingCheck
    ) -> list[str]:
        sentences = extractive_answer(query, sources, self.guard.embedder)
        kept = [s for s in sentences if check.check(s).kept]
        return kept if len(kept) >= self.settings.min_supported_sentences else []

    @staticmethod
    def _not_covered(lang: str, hits: Sequence[RetrievedChunk]) -> str:
        titles: list[str] = []
        for hit in hits:
            if hit.chunk.title not in titles:
                titles.append(hit.chunk.title)
        text = NOT_COVERED[lang]
        if titles:
            text += f" {CLOSEST[lang]} " + "; ".join(titles[:3]) + "."
        return text


def _names_found(question: str, sources: Sequence[SourcePassage]) -> bool:
    """A question that names medicines or conditions is covered only if a source names one
    of them: "methotrexate" must not be answered from a page about metformin."""
    named = medical_terms.drugs(question) | medical_terms.conditions(question)
    if not named:
        return True
    text = " ".join(f"{s.title} {s.text}" for s in sources)
    return bool(named & (medical_terms.drugs(text) | medical_terms.conditions(text)))


def _plain(check: GroundingCheck, reading_level: int) -> Callable[[Sequence[str]], list[str]]:
    """The plain-language step for one answer (identity above the plain-language grade)."""
    if reading_level > PLAIN_LANGUAGE_MAX_GRADE:
        return list
    rewriter = Rewriter()
    return lambda sentences: simplify_checked(sentences, lambda s: check.check(s).kept, rewriter)


def _guarded(pieces: Iterator[str]) -> Iterator[str]:
    """A backend's own exceptions become E305 (503): never a 500 with a traceback."""
    try:
        yield from pieces
    except CareExplainError:
        raise
    except Exception as exc:
        raise GeneratorFailedError("The model failed while answering.") from exc


def _sentences(pieces: Iterator[str], timings: dict[str, float], started: float) -> Iterator[str]:
    """Complete sentences from a token stream, as soon as each one ends."""
    buffer = ""
    for piece in pieces:
        if "first_token" not in timings:
            timings["first_token"] = _ms(started)
        buffer += piece
        ends = [m.end() for m in _BOUNDARY.finditer(buffer)]
        if ends:
            # Everything up to the last boundary is finished; the tail waits for more tokens.
            yield from split_sentences(buffer[: ends[-1]])
            buffer = buffer[ends[-1] :]
    yield from split_sentences(buffer)


def _passage(n: int, hit: RetrievedChunk) -> SourcePassage:
    return SourcePassage.from_chunk(n, hit.chunk)


def _citation(source: SourcePassage) -> Citation:
    snippet = source.text if len(source.text) <= 280 else source.text[:277].rsplit(" ", 1)[0] + "…"
    return Citation(
        n=source.n,
        title=source.title,
        section=source.section,
        source_url=source.source_url,
        snippet=snippet,
        text=source.text,
    )


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
