"""The FastAPI application factory."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from careexplain import __version__
from careexplain.api.errors import install_error_handlers
from careexplain.api.routes import (
    chat,
    deidentify,
    explain,
    handouts,
    health,
    notes,
    nurse,
    openai_compat,
    search,
)
from careexplain.api.state import AppState
from careexplain.errors import CareExplainError
from careexplain.phi.logging import install_log_scrubber
from careexplain.settings import Settings, get_settings

log = logging.getLogger("careexplain.api")


def create_app(settings: Settings | None = None, state: AppState | None = None) -> FastAPI:
    """Build the app; ``state`` lets tests share already-loaded models between apps."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Second line of defence: nothing PHI-shaped reaches a log handler, whoever logs it.
        for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access"):
            install_log_scrubber(logging.getLogger(name))
        loaded = state or AppState.load(settings)
        try:
            loaded.warm_up()
        except CareExplainError as exc:
            # Serve anyway: /health explains the problem and search answers 503 until fixed.
            log.warning("starting without an index: %s", exc.code)
        app.state.careexplain = loaded
        yield

    app = FastAPI(
        title="CareExplain",
        version=__version__,
        summary="Plain-language, cited explanations of clinical guidance.",
        lifespan=lifespan,
    )
    install_error_handlers(app)

    @app.middleware("http")
    async def request_log(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Path only, never the query string or body: both may carry patient details.
        started = time.perf_counter()
        response = await call_next(request)
        log.info(
            "%s %s %d %.0fms",
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(chat.router)
    app.include_router(openai_compat.router)
    app.include_router(notes.router)
    app.include_router(deidentify.router)
    app.include_router(explain.router)
    app.include_router(handouts.router)
    app.include_router(nurse.router)
    return app
