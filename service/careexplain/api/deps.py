"""Typed FastAPI dependencies: routes ask for what they need by type."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from careexplain.api.state import AppState
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings


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
