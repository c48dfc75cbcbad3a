"""Prompt templates: rendered in a sandbox, strict about variables, versioned."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from careexplain.generate.prompting import ANSWER_TEMPLATE, environment, render, template_version

SOURCES = [
    {"n": 1, "title": "Flu", "section": "What it is", "text": "The flu is caused by a virus."}
]


def test_answer_prompt_carries_rules_sources_and_level() -> None:
    prompt = render(
        ANSWER_TEMPLATE, sources=SOURCES, reading_level=4, patient_context=None, decline=False
    )
    assert "[1] Flu (What it is): The flu is caused by a virus." in prompt
    assert "grade 4" in prompt
    assert "Do not diagnose" in prompt
    assert "personal medical advice" not in prompt
    assert "care team told us" not in prompt


def test_patient_context_and_decline_are_included_when_given() -> None:
    prompt = render(
        ANSWER_TEMPLATE,
        sources=SOURCES,
        reading_level=6,
        patient_context="Takes insulin at night.",
        decline=True,
    )
    assert "Takes insulin at night." in prompt
    assert "personal medical advice" in prompt


def test_missing_variables_are_an_error() -> None:
    with pytest.raises(UndefinedError):
        render(ANSWER_TEMPLATE, sources=SOURCES)


def test_sources_are_data_not_template_code() -> None:
    # Text that looks like Jinja inside a source is printed, never executed.
    evil = [{"n": 1, "title": "X", "section": "Y", "text": "{{ 7 * 7 }} {% for x in y %}"}]
    prompt = render(
        ANSWER_TEMPLATE, sources=evil, reading_level=6, patient_context=None, decline=False
    )
    assert "{{ 7 * 7 }}" in prompt
    with pytest.raises(SecurityError):
        environment().from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()


def test_template_version() -> None:
    assert template_version(ANSWER_TEMPLATE) == "answer.v1"
