"""A small handout written by hand, for tests that are not about generation."""

from __future__ import annotations

from careexplain.explain.models import MedicineRow, SourceRef
from careexplain.handouts.models import HandoutContent, HandoutSection


def sample_content() -> HandoutContent:
    return HandoutContent(
        title="Your care plan",
        purpose="This handout is about your asthma. It tells you what to do and when to get help.",
        summary=["Take your inhaler the way your care team told you [1]."],
        sections=[
            HandoutSection(
                topic="asthma",
                kind="problem",
                heading="Asthma",
                what_it_is=["Asthma makes the airways in your lungs swell [1]."],
                why_it_matters=["An asthma attack can make it hard to breathe [1]."],
                what_to_do=[
                    "Take your inhaler the way your care team told you [1].",
                    "Stay away from smoke [1].",
                ],
                when_to_call=["Call your care team if you use your rescue inhaler more [1]."],
                emergency=["Call 911 if your lips turn blue [1]."],
            )
        ],
        medicines=[MedicineRow(name="albuterol", dose="2 puffs", as_needed="wheezing")],
        emergency_message="This could be a medical emergency. Call 911 now.",
        teach_back=["When should you call 911?"],
        sources=[SourceRef(n=1, doc_id="asthma", title="Asthma", section="What it is")],
    )
