"""Durable handouts (SQLAlchemy, SQLite by default) with versions and optimistic concurrency."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Literal

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from careexplain.errors import HandoutNotFoundError, HandoutVersionConflictError
from careexplain.handouts.models import HandoutContent, Revision, RevisionDetail
from careexplain.storage.database import Base, engine, session_factory, utcnow


class HandoutRow(Base):
    __tablename__ = "handouts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class HandoutRevisionRow(Base):
    __tablename__ = "handout_revisions"
    __table_args__ = (UniqueConstraint("handout_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    handout_id: Mapped[str] = mapped_column(
        ForeignKey("handouts.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    based_on: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StoredHandout:
    """A handout row and its current content, as read in one transaction."""

    def __init__(
        self,
        handout_id: str,
        version: int,
        created: dt.datetime,
        updated: dt.datetime,
        content: HandoutContent,
    ) -> None:
        self.id, self.version, self.created_at, self.updated_at = (
            handout_id,
            version,
            created,
            updated,
        )
        self.content = content


class HandoutEditConflictError(HandoutVersionConflictError):
    """E602 that also says which version is current and where the rejected edit was kept."""

    def __init__(self, message: str, current_version: int, rejected_revision: int) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.rejected_revision = rejected_revision


class HandoutStore:
    """Creates, reads and edits handouts; every edit, accepted or not, is kept."""

    def __init__(self, database_url: str) -> None:
        # The shared engine may have been created before this module registered its tables.
        Base.metadata.create_all(
            engine(database_url),
            tables=[HandoutRow.__table__, HandoutRevisionRow.__table__],  # type: ignore[list-item]
        )
        self._sessions = session_factory(database_url)

    def create(self, content: HandoutContent) -> StoredHandout:
        handout_id = secrets.token_urlsafe(12)
        with self._sessions.begin() as db:
            row = HandoutRow(id=handout_id, version=1)
            db.add(row)
            db.flush()
            self._add_revision(db, handout_id, "accepted", 1, None, content)
        return self.get(handout_id)

    def get(self, handout_id: str) -> StoredHandout:
        with self._sessions() as db:
            row = db.get(HandoutRow, handout_id)
            if row is None:
                raise _not_found()
            current = db.scalars(
                select(HandoutRevisionRow).where(
                    HandoutRevisionRow.handout_id == handout_id,
                    HandoutRevisionRow.version == row.version,
                    HandoutRevisionRow.status == "accepted",
                )
            ).one()
            return StoredHandout(
                row.id,
                row.version,
                row.created_at,
                row.updated_at,
                HandoutContent.model_validate_json(current.content),
            )

    def update(self, handout_id: str, content: HandoutContent, based_on: int) -> StoredHandout:
        """Save ``content`` as the next version if ``based_on`` is still current; else E602,
        with the rejected edit kept as a revision of its own."""
        with self._sessions.begin() as db:
            # Compare-and-set in one statement: two editors of the same version cannot both win.
            # The UPDATE also takes SQLite's write lock, so the rejected edit below is recorded
            # in the same transaction.
            won = db.execute(
                update(HandoutRow)
                .where(HandoutRow.id == handout_id, HandoutRow.version == based_on)
                .values(version=HandoutRow.version + 1, updated_at=utcnow())
            ).rowcount
            if won:
                self._add_revision(db, handout_id, "accepted", based_on + 1, based_on, content)
            else:
                row = db.get(HandoutRow, handout_id)
                if row is None:
                    raise _not_found()
                rejected = self._add_revision(db, handout_id, "rejected", None, based_on, content)
                current = row.version
        if won:
            return self.get(handout_id)
        raise HandoutEditConflictError(
            f"This handout was changed by someone else: you edited version {based_on}, the "
            f"current version is {current}. Your edit was kept as revision {rejected}; reload "
            "the handout, merge your changes and save again.",
            current,
            rejected,
        )

    def revisions(self, handout_id: str) -> list[Revision]:
        with self._sessions() as db:
            if db.get(HandoutRow, handout_id) is None:
                raise _not_found()
            rows = db.scalars(
                select(HandoutRevisionRow)
                .where(HandoutRevisionRow.handout_id == handout_id)
                .order_by(HandoutRevisionRow.revision)
            ).all()
            return [_revision(r) for r in rows]

    def revision(self, handout_id: str, revision: int) -> RevisionDetail:
        with self._sessions() as db:
            row = db.scalars(
                select(HandoutRevisionRow).where(
                    HandoutRevisionRow.handout_id == handout_id,
                    HandoutRevisionRow.revision == revision,
                )
            ).one_or_none()
            if row is None:
                raise HandoutNotFoundError(
                    f"Handout {handout_id!r} has no revision {revision}. "
                    "List its revisions at /v1/handouts/{id}/revisions."
                )
            return RevisionDetail(
                **_revision(row).model_dump(),
                content=HandoutContent.model_validate_json(row.content),
            )

    @staticmethod
    def _add_revision(
        db: Session,
        handout_id: str,
        status: Literal["accepted", "rejected"],
        version: int | None,
        based_on: int | None,
        content: HandoutContent,
    ) -> int:
        last = db.scalar(
            select(func.max(HandoutRevisionRow.revision)).where(
                HandoutRevisionRow.handout_id == handout_id
            )
        )
        number = (last or 0) + 1
        db.add(
            HandoutRevisionRow(
                handout_id=handout_id,
                revision=number,
                status=status,
                version=version,
                based_on=based_on,
                content=content.model_dump_json(),
            )
        )
        return number


def _revision(row: HandoutRevisionRow) -> Revision:
    return Revision(
        revision=row.revision,
        status=row.status,
        version=row.version,
        based_on=row.based_on,
        created_at=row.created_at,
    )


def _not_found() -> HandoutNotFoundError:
    return HandoutNotFoundError(
        "No handout has this id. Create one with POST /v1/handouts, or check the link."
    )
