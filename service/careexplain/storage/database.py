"""One SQLAlchemy engine per database URL (SQLite by default), tables created on first use."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@cache
def engine(url: str) -> Engine:
    """The engine for ``url``; SQLite files get WAL and foreign keys."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(url, connect_args={"check_same_thread": False} if "sqlite" in url else {})
    if url.startswith("sqlite"):

        @event.listens_for(eng, "connect")
        def _pragmas(conn, _record):  # type: ignore[no-untyped-def]
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    # Importing the models registers their tables on Base.metadata.
    from careexplain.storage import conversations  # noqa: F401

    Base.metadata.create_all(eng)
    return eng


def session_factory(url: str) -> sessionmaker:  # type: ignore[type-arg]
    return sessionmaker(engine(url), expire_on_commit=False)
