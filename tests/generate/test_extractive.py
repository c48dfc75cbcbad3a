"""Extractive answers: the best source statements, cited, lead-ins said once."""

from __future__ import annotations

import pytest

from careexplain.generate.extractive import (
    candidates,
    choose,
    dedupe_key,
    extractive_answer,
    plain_grade,
    usable,
)
from careexplain.generate.grounding import SourcePassage
from careexplain.index.embeddings import Embedder
from careexplain.text.readability import grade_ceiling, known_words

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

# MedQuAD-style page: a few plain sentences among questions, boilerplate and a symptom table.
GOUT = SourcePassage(
    n=1,
    chunk_id=3,
    doc_id="gout",
    title="Gout",
    section="Treatment",
    text=(
        "How might gout be treated?\n"
        "Gout is a kind of arthritis that causes pain and swelling in your joints.\n"
        "Medicines can treat gout attacks and help prevent new ones.\n"
        "Gout is characterized by hyperuricemia with monosodium urate crystal deposition "
        "precipitating recurrent inflammatory arthritis of peripheral articulations.\n"
        "Signs and Symptoms Approximate number of patients Arthritis - Hyperuricemia - "
        "Nephrolithiasis - Tophi\n"
        "These resources address the diagnosis or management of gout: Genetic Testing "
        "Registry: Gout.\n"
        "Learn about gout treatment options from your care team.\n"
        "Call 1-800-555-0100 for help with gout.\n"
        "Staying at a healthy weight and drinking water can help prevent gout attacks."
    ),
)
TECHNICAL_GOUT = SourcePassage(
    n=1,
    chunk_id=4,
    doc_id="gout-pathophysiology",
    title="Gout",
    section="Pathophysiology",
    text=(
        "Gout is characterized by hyperuricemia with monosodium urate crystal deposition "
        "precipitating recurrent inflammatory arthritis of peripheral articulations.\n"
        "Gout pathogenesis involves inflammasome activation by phagocytosed monosodium urate "
        "crystals and consequent interleukin-1 beta secretion."
    ),
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


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("How might limb-girdle muscular dystrophy be treated?", "a question copied"),
        ("Two types of groin hernias are", "a lead-in without its list"),
        ("Healthy diabetic eating includes", "a lead-in without its list"),
        ("Treatment of this disease may include the following.", "a lead-in without its list"),
        ("Symptoms of gout can include:", "a lead-in without its list"),
        ("Signs and Symptoms Fever - Rash - Headache - Cough", "a flattened table"),
        ("These resources address the diagnosis or management of gout.", "boilerplate"),
        ("See Drugs Approved for Head and Neck Cancer for more information.", "boilerplate"),
        ("Genetic Testing Registry: Limb-girdle muscular dystrophy.", "boilerplate"),
        ("Learn about protecting your child from measles.", "boilerplate"),
        ("Call the hotline at 1-800-232-4636 for advice.", "a phone number"),
        ("Our office can be reached at (301) 496-5248 today.", "a phone number"),
        ("Take Your Diabetes Medicines People with diabetes take insulin.", "a heading in front"),
        ("It controls thoughts, memory, speech, and movement.", "no referent"),
        ("Here are some ways for caregivers to get help.", "a list that is not there"),
        ("I can have _____ ounces of fluid each day.", "a worksheet blank"),
        ("Most cases of the disease are of this type.", "points at a list not shown"),
        ("Follow all of the steps listed above.", "points at steps not shown"),
        ("The treatments described below often help.", "points at text not shown"),
        ("upper belly discomfort or pain", "a fragment"),
        ("See your provider within 72 hours.Treatment can help.", "two sentences glued"),
    ],
)
def test_junk_is_never_a_candidate(sentence: str, why: str) -> None:
    assert usable(sentence) is None, why


def test_a_sentence_naming_its_own_topic_is_not_a_pointer() -> None:
    sentence = "Having a family history of this type of disorder raises the risk."
    assert usable(sentence) == sentence


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        ("Surgery Surgery may include neck dissection.", "Surgery may include neck dissection."),
        (
            "If You Suspect Shingles If you suspect shingles, see your provider.",
            "If you suspect shingles, see your provider.",
        ),
        ("Insulin helps your body use sugar.", "Insulin helps your body use sugar."),
    ],
)
def test_a_heading_glued_in_front_is_removed(sentence: str, shown: str) -> None:
    assert usable(sentence) == shown


def test_junk_in_a_source_is_not_shown(embedder: Embedder) -> None:
    sentences = extractive_answer("How is gout treated?", [GOUT], embedder)
    assert sentences
    text = " ".join(sentences)
    for junk in ("resources", "?", "1-800", "Learn about", " - "):
        assert junk not in text


def test_the_same_sentence_is_never_shown_twice(embedder: Embedder) -> None:
    twin = GOUT.model_copy(update={"n": 2, "chunk_id": 9, "doc_id": "gout-2"})
    sentences = extractive_answer("How is gout treated?", [GOUT, twin], embedder)
    keys = [dedupe_key(s) for s in sentences]
    assert len(keys) == len(set(keys)) >= 2


def test_readable_sentences_are_chosen_and_technical_ones_left_out(embedder: Embedder) -> None:
    question = "What is gout and how is it treated?"
    plain = extractive_answer(question, [GOUT], embedder, reading_level=6)
    assert plain
    # The ceiling: no chosen sentence reads harder than three grades above the level.
    assert all(plain_grade(s, known=known_words(question)) <= grade_ceiling(6) for s in plain)
    assert not any("hyperuricemia" in s for s in plain)
    # Without a reading level the technical sentence is a fair candidate.
    assert any("hyperuricemia" in s for s in extractive_answer(question, [GOUT], embedder))


def test_a_source_that_is_only_technical_yields_nothing_readable(embedder: Embedder) -> None:
    ranked = candidates("What is gout?", [TECHNICAL_GOUT], embedder, target_grade=6)
    assert ranked
    choice = choose(ranked, max_grade=grade_ceiling(6), known=known_words("What is gout?"))
    assert choice.sentences == []
    assert choice.too_hard == len(ranked)
