"""Typed FastAPI dependencies: routes ask for what they need by type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from careexplain.api.state import AppState
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings

if TYPE_CHECKING:
    from careexplain.explain.builder import Explainer
    from careexplain.handouts.service import HandoutService
    from careexplain.notes.pipeline import NoteExtractor
    from careexplain.phi.deidentifier import Deidentifier


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.careexplain
    return state


StateDep = Annotated[AppState, Depends(get_state)]


def get_settings(state: StateDep) -> Settings:
    return state.settings


def get_retriever(state: StateDep) -> HybridRetriever:
    return state.retriever


SettingsDep = Annotated[Settings, Depends(get_settings)]
RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]


def get_note_extractor(state: StateDep) -> NoteExtractor:
    return state.note_extractor()


def get_deidentifier(state: StateDep) -> Deidentifier:
    return state.deidentifier()


NoteExtractorDep = Annotated["NoteExtractor", Depends(get_note_extractor)]
DeidentifierDep = Annotated["Deidentifier", Depends(get_deidentifier)]


def get_explainer(state: StateDep) -> Explainer:
    return state.explainer()


def get_handouts(state: StateDep) -> HandoutService:
    return state.handouts()


ExplainerDep = Annotated["Explainer", Depends(get_explainer)]
HandoutsDep = Annotated["HandoutService", Depends(get_handouts)]
