"""TREC relevance judgements (qrels) and topics files."""

from __future__ import annotations

from pathlib import Path

from careexplain.errors import EvalConfigError


def parse_qrels(text: str) -> dict[str, dict[str, float]]:
    """``topic iteration doc_id relevance`` lines → {topic: {doc_id: gain}} (zeros kept)."""
    qrels: dict[str, dict[str, float]] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 4:
            raise EvalConfigError(f"qrels line {lineno}: expected 4 fields, got {len(parts)}")
        topic, _iteration, doc_id, rel = parts
        try:
            gain = float(rel)
        except ValueError as exc:
            raise EvalConfigError(
                f"qrels line {lineno}: relevance {rel!r} is not a number"
            ) from exc
        qrels.setdefault(topic, {})[doc_id] = gain
    return qrels


def parse_topics(text: str) -> dict[str, str]:
    """Topics as ``id<TAB>query`` lines (the TREC "queries" TSV) → {topic: query}."""
    topics: dict[str, str] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        topic, sep, query = line.partition("\t")
        if not sep or not query.strip():
            raise EvalConfigError(f"topics line {lineno}: expected 'id<TAB>query'")
        topics[topic.strip()] = query.strip()
    return topics


def load_trec(qrels_path: Path, topics_path: Path) -> list[tuple[str, str, dict[str, float]]]:
    """(topic id, query, gains) for every topic that has judgements."""
    for path in (qrels_path, topics_path):
        if not path.is_file():
            raise EvalConfigError(f"{path} does not exist")
    qrels = parse_qrels(qrels_path.read_text(encoding="utf-8"))
    topics = parse_topics(topics_path.read_text(encoding="utf-8"))
    missing = sorted(set(qrels) - set(topics))
    if missing:
        raise EvalConfigError(f"qrels topics without a query in {topics_path}: {missing[:5]}")
    return [(t, topics[t], qrels[t]) for t in sorted(qrels)]
