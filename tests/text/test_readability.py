"""Per-sentence grades for the grade ceiling: the reader's own words are not what is hard."""

from __future__ import annotations

from careexplain.text.readability import grade_ceiling, known_words, sentence_grade


def test_citations_are_not_read() -> None:
    assert sentence_grade("Drink water every day [1].") == sentence_grade("Drink water every day.")


def test_words_from_the_question_count_as_easy() -> None:
    sentence = "Read labels, since many cold medicines also have acetaminophen [1]."
    known = known_words("Which is stronger, Acetaminophen-COD #3 or #4?")
    assert "acetaminophen" in known
    assert sentence_grade(sentence, known) < grade_ceiling(6) < sentence_grade(sentence)


def test_the_ceiling_is_three_grades_above_the_level() -> None:
    assert grade_ceiling(6) == 9.0
