"""Handouts end to end: explain → compose → store, and read, edit and render them."""

from __future__ import annotations

from collections.abc import Sequence

from careexplain.explain.builder import Explainer
from careexplain.generate.grounding import GroundingGuard
from careexplain.handouts import quality
from careexplain.handouts.compose import compose
from careexplain.handouts.models import Handout, HandoutContent
from careexplain.handouts.render import render_html, render_pdf
from careexplain.handouts.store import HandoutStore, StoredHandout
from careexplain.profile.models import PatientProfile
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings


class HandoutService:
    """Creates drafts from a profile; reads, edits (optimistic concurrency) and renders them."""

    def __init__(self, explainer: Explainer, store: HandoutStore) -> None:
        self.explainer = explainer
        self.store = store

    @classmethod
    def from_settings(
        cls, settings: Settings, retriever: HybridRetriever, guard: GroundingGuard
    ) -> HandoutService:
        return cls(Explainer(settings, retriever, guard), HandoutStore(settings.database_url))

    def create(
        self,
        profile: PatientProfile,
        topics: Sequence[str] | None = None,
        reading_level: float | None = None,
    ) -> Handout:
        explanation = self.explainer.explain(profile, topics, reading_level)
        return _public(self.store.create(compose(explanation)))

    def get(self, handout_id: str) -> Handout:
        return _public(self.store.get(handout_id))

    def update(self, handout_id: str, content: HandoutContent, based_on: int) -> Handout:
        return _public(self.store.update(handout_id, content, based_on))

    def html(self, handout_id: str) -> str:
        return render_html(self.store.get(handout_id).content)

    def pdf(self, handout_id: str) -> bytes:
        return render_pdf(self.store.get(handout_id).content)


def _public(stored: StoredHandout) -> Handout:
    return Handout(
        id=stored.id,
        version=stored.version,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        content=stored.content,
        quality=quality.check(stored.content),
    )
