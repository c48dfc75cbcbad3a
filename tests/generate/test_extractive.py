"""Extractive answers: the best source statements, cited, lead-ins said once."""

from __future__ import annotations

from careexplain.generate.extractive import extractive_answer
from careexplain.generate.grounding import SourcePassage
from careexplain.index.embeddings import Embedder

INSULIN = SourcePassage(
    n=1,
    chunk_id=1,
    doc_id="insulin",
    title="Insulin",
    section="What you can do",
    text=(
        "Store insulin safely:\n- Keep new, unopened insulin in the refrigerator.\n"
        "- Do not freeze insulin.\n- Keep insulin away from heat and direct sun.\n"
        "Take insulin the way your care team told you."
    ),
)
FLU = SourcePassage(
    n=2,
    chunk_id=2,
    doc_id="influenza",
    title="Flu",
    section="What it is",
    text="The flu is an illness caused by a virus. It spreads when people cough or sneeze.",
)


def test_answers_from_the_relevant_source_with_citations(embedder: Embedder) -> None:
    sentences = extractive_answer("How should I store insulin?", [INSULIN, FLU], embedder)
    assert 2 <= len(sentences) <= 4
    assert all(s.endswith("[1].") for s in sentences)
    assert sentences[0].startswith("Store insulin safely: keep")
    # The shared lead-in is said once.
    assert sum(s.startswith("Store insulin safely") for s in sentences) == 1


def test_a_pronoun_sentence_keeps_its_referent(embedder: Embedder) -> None:
    sentences = extractive_answer("How does the flu spread?", [FLU], embedder)
    assert (
        "The flu is an illness caused by a virus [2]. It spreads when people cough or sneeze [2]."
        in sentences
    )


def test_nothing_relevant_gives_nothing(embedder: Embedder) -> None:
    assert extractive_answer("What is the capital of France?", [INSULIN], embedder) == []
