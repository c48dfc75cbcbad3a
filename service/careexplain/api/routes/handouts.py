"""Routes: handouts (being built; see the issue tracker)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
