"""What the app loads once at start-up and shares between requests."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from careexplain.chat.service import ChatService
from careexplain.errors import CareExplainError
from careexplain.generate.backends.base import Generator, RequestQueue
from careexplain.generate.grounding import GroundingGuard
from careexplain.generate.registry import load_generator
from careexplain.generate.support_judge import LazySupportJudge
from careexplain.index.embeddings import Embedder
from careexplain.index.reader import IndexHandle
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings
from careexplain.storage.conversations import ConversationStore
from careexplain.text import medical_terms, synonyms

if TYPE_CHECKING:
    from careexplain.explain.builder import Explainer
    from careexplain.handouts.service import HandoutService
    from careexplain.notes.pipeline import NoteExtractor
    from careexplain.phi.deidentifier import Deidentifier

log = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    embedder: Embedder
    index: IndexHandle
    retriever: HybridRetriever
    _generator: Generator | None = None
    _generator_error: CareExplainError | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _note_extractor: NoteExtractor | None = None
    _deidentifier: Deidentifier | None = None
    _explainer: Explainer | None = None
    _handouts: HandoutService | None = None

    @classmethod
    def load(cls, settings: Settings) -> AppState:
        embedder = Embedder.from_settings(settings)
        handle = IndexHandle(settings.index_root, embedder)
        return cls(settings, embedder, handle, HybridRetriever(handle, embedder, settings))

    def __post_init__(self) -> None:
        self.support_judge = LazySupportJudge.configured(self.settings)
        self.guard = GroundingGuard(self.embedder, judge=self.support_judge)
        self.queue = RequestQueue(workers=1, capacity=self.settings.generation_queue_size)
        self.conversations = ConversationStore(self.settings.database_url)
        self.chat = ChatService(
            self.settings,
            self.retriever,
            self.guard,
            self.generator,
            self.queue,
            self.conversations,
        )

    def generator(self) -> Generator:
        """The configured generator, loaded on first use (start-up warms it)."""
        if self._generator is not None:
            return self._generator
        with self._lock:
            if self._generator is None:
                self._generator = load_generator(self.settings)
            return self._generator

    def note_extractor(self) -> NoteExtractor:
        """The spaCy/medspaCy notes pipeline, loaded once on first use."""
        with self._lock:
            if self._note_extractor is None:
                from careexplain.notes.pipeline import NoteExtractor

                self._note_extractor = NoteExtractor.from_settings(self.settings)
            return self._note_extractor

    def deidentifier(self) -> Deidentifier:
        """The Presidio PHI finder, loaded once on first use."""
        with self._lock:
            if self._deidentifier is None:
                from careexplain.phi.deidentifier import Deidentifier

                self._deidentifier = Deidentifier.from_settings(self.settings)
            return self._deidentifier

    def explainer(self) -> Explainer:
        """Personalised explanations on the shared retriever and guard, built on first use."""
        with self._lock:
            if self._explainer is None:
                from careexplain.explain.builder import Explainer

                self._explainer = Explainer(self.settings, self.retriever, self.guard)
            return self._explainer

    def handouts(self) -> HandoutService:
        """Handout drafts in the service database, built on first use."""
        explainer = self.explainer()
        with self._lock:
            if self._handouts is None:
                from careexplain.handouts.service import HandoutService
                from careexplain.handouts.store import HandoutStore

                store = HandoutStore(self.settings.database_url)
                self._handouts = HandoutService(explainer, store)
            return self._handouts

    def use_note_extractor(self, extractor: NoteExtractor) -> None:
        """Share an already-loaded notes pipeline (tests and tools)."""
        self._note_extractor = extractor

    def use_generator(self, generator: Generator) -> None:
        """Share an already-loaded generator (tests and tools that build several apps)."""
        self._generator = generator

    def warm_up(self) -> None:
        """Load the models and index now, so the first request is not the slow one."""
        self.embedder.encode_query("warm up")
        medical_terms.load()
        synonyms.load()
        try:
            self.generator()
        except CareExplainError as exc:
            # The service still searches; chat answers 503 with this reason until fixed.
            log.warning("generator not available: %s", exc.code)
        if self.support_judge is not None:
            self.support_judge.load()
        self.index.get()
