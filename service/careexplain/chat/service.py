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
from careexplain.generate.extractive import candidates, choose, dedupe_key
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
from careexplain.text.readability import grade_ceiling, known_words, sentence_grade
from careexplain.text.sentences import citations as cited_numbers
from careexplain.text.sentences import split_sentences

NOT_COVERED = {
    "en": "Our guidance does not cover this question. Please ask your care team.",
    "es": "Nuestras guías no cubren esta pregunta. Por favor, pregunte a su equipo médico.",
}
# Relevant sources existed, but every sentence stayed too hard after the plain rewrite.
TOO_TECHNICAL = {
    "en": "Our sources on this are too technical for us to explain simply. "
    "Please ask your care team.",
    "es": "Nuestras fuentes sobre esto son demasiado técnicas para explicarlas de forma "
    "sencilla. Por favor, pregunte a su equipo médico.",
}
CLOSEST = {"en": "Topics we do cover that may be close:", "es": "Temas cercanos que sí cubrimos:"}
ENGLISH_ONLY = {
    "es": "Nuestras guías están en inglés. Esta es la información de nuestras guías, en inglés:",
}
MAX_KEPT_SENTENCES = 6
# At or below this requested grade, kept sentences go through the grounded plain-language
# rewrite (glossary swaps and clause splits, each re-checked by the guard).
PLAIN_LANGUAGE_MAX_GRADE = 8
_FINISHED = re.compile(r"[.!?][\"')\]]*\s*$|\]\s*$")
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
        too_hard = 0
        if covered:
            check = self.guard.prepare(sources, context)
            plain = _Shown(check, request.reading_level, known_words(query))
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
                    shown = plain.add([verdict.text])
                    kept.extend(shown)
                    pending.extend(shown)
                    if len(kept) >= self.settings.min_supported_sentences:
                        for text in pending:
                            yield ChatEvent(event="token", data=text + " ")
                        pending = []
            timings["generation"] = _ms(gen_started)
            if len(kept) < self.settings.min_supported_sentences:
                too_hard = plain.too_hard
                # The model's sentences are not shown: the fallback starts afresh.
                plain = _Shown(check, request.reading_level, plain.known)
                kept = self._extractive(query, sources, check, plain)
                too_hard += plain.too_hard
                if kept:
                    fallback = "extractive"
                    for sentence in kept:
                        yield ChatEvent(event="token", data=sentence + " ")
                else:
                    covered = False
        if not covered:
            fallback = "not_covered"
            kept = []
            body = self._not_covered(lang, hits, too_technical=too_hard > 0)
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
        self, query: str, sources: Sequence[SourcePassage], check: GroundingCheck, plain: _Shown
    ) -> list[str]:
        """The extractive answer as shown, or nothing if too little of it can be shown."""

        def keeps(sentence: str) -> bool:
            return check.check(sentence).kept

        ranked = candidates(query, sources, self.guard.embedder, target_grade=plain.level)
        choice = choose(ranked, max_grade=plain.ceiling, keeps=keeps, known=plain.known)
        plain.too_hard += choice.too_hard
        kept = plain.add([s for s in choice.sentences if keeps(s)])
        return kept if len(kept) >= self.settings.min_supported_sentences else []

    @staticmethod
    def _not_covered(lang: str, hits: Sequence[RetrievedChunk], too_technical: bool = False) -> str:
        titles: list[str] = []
        for hit in hits:
            if hit.chunk.title.lower() not in (t.lower() for t in titles):
                titles.append(hit.chunk.title)
        # Only readability removed what the sources say: tell the truth, not "not covered".
        text = (TOO_TECHNICAL if too_technical else NOT_COVERED)[lang]
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


class _Shown:
    """What one answer shows: the checked plain rewrite, the grade ceiling, no repeats.

    Above the plain-language grade sentences are shown as the guard kept them.
    """

    def __init__(
        self, check: GroundingCheck, reading_level: int, known: frozenset[str] = frozenset()
    ) -> None:
        self.check = check
        # The reader's own words: not what makes a sentence hard for them.
        self.known = known
        plain = reading_level <= PLAIN_LANGUAGE_MAX_GRADE
        self.level: float | None = reading_level if plain else None
        self.ceiling = grade_ceiling(reading_level) if plain else None
        self.rewriter = Rewriter() if plain else None
        self.seen: set[str] = set()
        # Sentences the guard kept that were not shown because they read too hard.
        self.too_hard = 0

    def add(self, sentences: Sequence[str]) -> list[str]:
        """The sentences to show, rewritten; too hard ones and repeats left out."""
        out: list[str] = []
        for sentence in sentences:
            parts = [sentence]
            if self.rewriter is not None:
                taught = set(self.rewriter.taught)
                parts = simplify_checked([sentence], self._keeps, self.rewriter)
                if self.ceiling is not None and any(
                    sentence_grade(p, self.known) > self.ceiling for p in parts
                ):
                    # Not shown, so nothing in it was taught.
                    self.rewriter.taught = taught
                    self.too_hard += 1
                    continue
            for part in parts:
                key = dedupe_key(part)
                if key not in self.seen:
                    self.seen.add(key)
                    out.append(part)
        return out

    def _keeps(self, sentence: str) -> bool:
        return self.check.check(sentence).kept


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
        if _BOUNDARY.search(buffer):
            # Every sentence but the last is finished; the last waits for more tokens, since
            # the word after "Dr." or "U.S." decides whether a sentence ended there.
            *done, last = split_sentences(buffer) or [""]
            if done:
                yield from done
                start = buffer.rfind(last)
                buffer = buffer[start:] if start >= 0 else last
    # A tail without an end mark was cut off by the token limit ("damaged due to external"):
    # half a sentence can say something the whole one would not.
    yield from (s for s in split_sentences(buffer) if _FINISHED.search(s))


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
