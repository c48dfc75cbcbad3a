"""Chat sessions: turns stored durably so follow-up questions can be understood."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from careexplain.storage.database import Base, session_factory, utcnow


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Turn(Base):
    __tablename__ = "turns"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConversationStore:
    """Reads and writes chat turns."""

    def __init__(self, database_url: str) -> None:
        self._sessions = session_factory(database_url)

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(16)

    def history(self, conversation_id: str, limit: int = 12) -> list[Turn]:
        """The last ``limit`` turns, oldest first."""
        with self._sessions() as db:
            rows = db.scalars(
                select(Turn)
                .where(Turn.conversation_id == conversation_id)
                .order_by(Turn.id.desc())
                .limit(limit)
            ).all()
        return list(reversed(rows))

    def add_exchange(self, conversation_id: str, question: str, answer: str, topic: str) -> None:
        with self._sessions.begin() as db:
            if db.get(Conversation, conversation_id) is None:
                db.add(Conversation(id=conversation_id))
                db.flush()
            db.add(
                Turn(conversation_id=conversation_id, role="user", content=question, topic=topic)
            )
            db.add(
                Turn(conversation_id=conversation_id, role="assistant", content=answer, topic=topic)
            )
