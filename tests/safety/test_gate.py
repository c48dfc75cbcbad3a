"""The safety gate: red flags escalate at once, look-alikes do not, personal advice is declined."""

from __future__ import annotations

import pytest

from careexplain.safety.gate import assess, guess_language

RED_FLAGS = [
    # (message, category)
    ("I have crushing chest pain and I'm sweating", "chest_pain"),
    ("there's a heavy pressure on my chest that won't go away", "chest_pain"),
    ("I feel tightness in my chest and my left arm hurts", "chest_pain"),
    ("chset pian since an hour", "chest_pain"),
    ("My dad has chest pain and feels sick", "chest_pain"),
    ("I think I'm having a heart attack", "chest_pain"),
    ("CHEST PAIN RIGHT NOW", "chest_pain"),
    ("can metformin cause chest pain? I have it now", "chest_pain"),
    ("tengo dolor de pecho muy fuerte", "chest_pain"),
    ("me duele el pecho y estoy sudando", "chest_pain"),
    ("my mom's face is drooping on one side", "stroke"),
    ("my husband suddenly has slurred speech", "stroke"),
    ("I can't speak properly and my arm is weak", "stroke"),
    ("sudden numbness on one side of my body", "stroke"),
    ("worst headache of my life out of nowhere", "stroke"),
    ("mi papá tiene la cara caída y no puede hablar", "stroke"),
    ("I can't breathe", "breathing"),
    ("i cant breth at all", "breathing"),
    ("my son is having trouble breathing and his lips are blue", "breathing"),
    ("it's really hard to breathe tonight", "breathing"),
    ("no puedo respirar", "breathing"),
    ("the bleeding won't stop after I cut my hand", "bleeding"),
    ("I'm vomiting blood", "bleeding"),
    ("there is a lot of blood coming from the wound", "bleeding"),
    ("on warfarin and coughing up blood", "bleeding"),
    ("el sangrado no para", "bleeding"),
    ("my throat is swelling after eating peanuts", "anaphylaxis"),
    ("my tongue is swelling up and my lips too", "anaphylaxis"),
    ("I think this is anaphylaxis", "anaphylaxis"),
    ("se me hincha la garganta", "anaphylaxis"),
    ("I want to kill myself", "suicide"),
    ("i have been thinking about suicide", "suicide"),
    ("I just want to end my life", "suicide"),
    ("everyone would be better off dead without me", "suicide"),
    ("ya no quiero vivir", "suicide"),
    ("quiero morirme", "suicide"),
    ("I took too many of my sleeping pills", "overdose"),
    ("my toddler swallowed bleach", "overdose"),
    ("I think I overdosed on oxycodone", "overdose"),
    ("creo que tomé demasiadas pastillas", "overdose"),
    ("my 6 week old baby has a fever", "infant_fever"),
    ("newborn with a temperature of 100.8", "infant_fever"),
    ("mi bebé de 2 meses tiene fiebre", "infant_fever"),
    ("my blood sugar is 42 and I'm shaking", "low_blood_sugar"),
    ("sugar reading 38", "low_blood_sugar"),
    ("my sugar is very low and won't come up", "low_blood_sugar"),
    ("my wife passed out and won't wake up", "unresponsive"),
    ("he is having a seizure", "unresponsive"),
]

LOOK_ALIKES = [
    "no chest pain today",
    "my chest pain went away last year",
    "I had a heart attack in 2015, how do I keep my heart healthy?",
    "What are the warning signs of a heart attack?",
    "what are the signs of a stroke",
    "is chest pain a side effect of metformin?",
    "I don't have any trouble breathing, just a cough",
    "How do I know if my blood sugar is too low?",
    "What should I do if someone has a seizure?",
    "no tengo dolor de pecho",
    "my 5 month old has a small rash",
    "my blood sugar was 140 after dinner",
    "How do I use my inhaler?",
    "What foods are high in vitamin K?",
    "Can I take ibuprofen with lisinopril?",
    "How do I care for my wound after surgery?",
    "I used to have trouble breathing when I was a kid",
    "What is heart failure?",
    "I bleed a little when I floss",
    "does warfarin cause bleeding gums",
    "what causes a stroke",
    "I feel sad sometimes, what helps with depression?",
    "my knee hurts when I walk",
    "cuáles son los síntomas de un derrame cerebral",
]

DOSE_REQUESTS = [
    "How much insulin should I take?",
    "Should I stop taking my warfarin before the trip?",
    "can I double my dose of metformin if I missed one",
    "should I increase my lisinopril",
    "how many units of insulin do I need tonight",
    "¿cuánto debo tomar de metformina?",
]
DIAGNOSIS_REQUESTS = [
    "Is this rash on my leg cellulitis?",
    "Can you diagnose my knee pain?",
    "Do you think I have the flu?",
    "Do I have diabetes? My sugar was 130.",
    "what's wrong with me, I feel tired all the time",
    "Is this cancer? I have a lump",
    "¿qué tengo? me siento mal",
]


@pytest.mark.parametrize(("message", "category"), RED_FLAGS)
def test_red_flags_escalate(message: str, category: str) -> None:
    result = assess(message)
    assert result.action == "escalate", message
    assert result.category == category
    assert result.message is not None
    if category == "suicide":
        assert "988" in result.message
    else:
        assert "911" in result.message


@pytest.mark.parametrize("message", LOOK_ALIKES)
def test_look_alikes_do_not_escalate(message: str) -> None:
    assert assess(message).action != "escalate", message


@pytest.mark.parametrize("message", DOSE_REQUESTS)
def test_personal_dose_requests_are_declined(message: str) -> None:
    result = assess(message)
    assert (result.action, result.category) == ("decline", "personal_dose")
    assert result.message is not None


@pytest.mark.parametrize("message", DIAGNOSIS_REQUESTS)
def test_personal_diagnosis_requests_are_declined(message: str) -> None:
    result = assess(message)
    assert (result.action, result.category) == ("decline", "personal_diagnosis")


def test_counts_meet_the_bar() -> None:
    assert len(RED_FLAGS) >= 40
    assert len(LOOK_ALIKES) >= 20
    assert sum(guess_language(m) == "es" for m, _ in RED_FLAGS) >= 8


def test_spanish_messages_get_spanish_help() -> None:
    result = assess("tengo dolor de pecho")
    assert result.language == "es"
    assert result.message is not None
    assert "Llame al 911" in result.message
    crisis = assess("quiero morirme")
    assert crisis.message is not None
    assert "988" in crisis.message
    assert "español" in crisis.message


def test_explicit_language_wins() -> None:
    result = assess("chest pain", language="es")
    assert result.language == "es"


def test_a_negation_does_not_cross_into_the_next_clause() -> None:
    assert assess("no fever; chest pain started an hour ago").action == "escalate"
    assert assess("no fever, but I can't breathe").action == "escalate"


@pytest.mark.parametrize(
    "message",
    ["What is cellulitis?", "How do I care for a rash?", "What could be causing knee pain?"],
)
def test_general_questions_near_diagnosis_phrases_are_answered(message: str) -> None:
    assert assess(message).action == "allow"
