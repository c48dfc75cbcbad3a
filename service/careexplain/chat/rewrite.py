"""Follow-up questions made self-contained: "what about its side effects?" → with its topic."""

from __future__ import annotations

from careexplain.safety.normalize import fold, tokens

REFERRING = frozenset(
    "it its it's they them their theirs this that these those he she his her him one".split()
)
FOLLOW_UP_OPENINGS = ("what about", "how about", "and ", "also ", "what else", "y ", "and what")
_FILLER = frozenset("what how why when is are can do does the a an about else more tell me".split())


def rewrite_follow_up(message: str, previous_topic: str | None) -> str:
    """Prefix the previous topic when the message leans on it; otherwise leave it alone."""
    if not previous_topic:
        return message
    words = tokens(message)
    content = [w for w in words if w not in _FILLER and w not in REFERRING]
    leans_on_context = (
        any(w in REFERRING for w in words)
        or fold(message).lstrip().startswith(FOLLOW_UP_OPENINGS)
        or len(content) <= 1
    )
    if not leans_on_context or fold(previous_topic) in fold(message):
        return message
    return f"{previous_topic}: {message}"
