"""Turn a personalised explanation into handout content: sections, summary, teach-back."""

from __future__ import annotations

from careexplain.explain.models import Explanation, FacetKey, TopicExplanation
from careexplain.handouts.models import HandoutContent, HandoutSection


def _facet(topic: TopicExplanation, key: FacetKey) -> list[str]:
    for facet in topic.facets:
        if facet.key == key:
            return list(facet.sentences)
    return []


def _plain(name: str) -> str:
    return name[:1].upper() + name[1:]


def compose(explanation: Explanation) -> HandoutContent:
    """The first draft a nurse reviews; every explaining sentence keeps its [n] mark."""
    profile = explanation.profile
    who = profile.preferences.preferred_name
    sections = [
        HandoutSection(
            topic=t.name,
            kind=t.kind,
            heading=_heading(t),
            what_it_is=_facet(t, "what_it_is"),
            why_it_matters=_facet(t, "why_it_matters"),
            what_to_do=_facet(t, "what_to_do"),
            when_to_call=_facet(t, "when_to_call"),
            emergency=_facet(t, "emergency"),
            not_covered=t.not_covered,
        )
        for t in explanation.topics
    ]
    names = [t.name for t in explanation.topics]
    purpose = (
        f"This handout is about your {_join(names)}. It tells you what each one is, "
        "what you can do, and when to get help."
    )
    # The summary repeats, word for word, the first action and first call sign of each topic.
    summary: list[str] = []
    for section in sections:
        summary.extend(section.what_to_do[:1])
    for section in sections:
        if section.emergency:
            summary.append(section.emergency[0])
            break
    return HandoutContent(
        title=f"Your care plan, {who}" if who else "Your care plan",
        purpose=purpose,
        summary=summary,
        sections=sections,
        medicines=explanation.medicines,
        allergies=[
            f"{a.substance} ({a.reaction})" if a.reaction else a.substance
            for a in profile.allergies
        ],
        emergency_message=explanation.emergency_message,
        language_note=explanation.language_note,
        teach_back=teach_back(explanation),
        sources=explanation.sources,
        reading_level=explanation.reading_level,
        language=profile.preferences.language,
    )


def teach_back(explanation: Explanation) -> list[str]:
    """Questions the nurse asks so the patient can say it back in their own words."""
    questions: list[str] = []
    problems = [t for t in explanation.topics if t.kind == "problem" and t.covered]
    medicines = [t for t in explanation.topics if t.kind == "medicine" and t.covered]
    if problems:
        questions.append(f"In your own words, what is {problems[0].name}?")
    if medicines:
        questions.append(f"How and when do you take your {medicines[0].name}?")
    if any(_facet(t, "what_to_do") for t in explanation.topics):
        questions.append("What is one thing you will do each day to stay well?")
    questions.append("Which signs mean you should call your care team?")
    questions.append("When should you call 911?")
    return questions


def _heading(topic: TopicExplanation) -> str:
    if topic.kind == "medicine":
        return f"Your medicine: {topic.name}"
    return _plain(topic.name)


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names) or "health"
    return ", ".join(names[:-1]) + " and " + names[-1]
