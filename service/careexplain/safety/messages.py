"""Fixed safety messages: shown as written, never generated, in English and Spanish."""

from __future__ import annotations

EMERGENCY = {
    "en": (
        "This could be a medical emergency. Call 911 (or your local emergency number) now, "
        "or have someone take you to the nearest emergency room. Do not wait, and do not "
        "drive yourself."
    ),
    "es": (
        "Esto podría ser una emergencia médica. Llame al 911 (o al número de emergencias de "
        "su país) ahora, o pida que alguien lo lleve a la sala de emergencias más cercana. "
        "No espere y no maneje usted."
    ),
}
EXTRA = {
    ("stroke", "en"): "Note the time the signs started: the care team will ask.",
    (
        "stroke",
        "es",
    ): "Anote la hora en que empezaron los síntomas: el equipo médico se lo preguntará.",
    ("chest_pain", "en"): "Stay still and keep the door unlocked while you wait for help.",
    ("chest_pain", "es"): "Quédese quieto y deje la puerta sin llave mientras llega la ayuda.",
    ("overdose", "en"): "You can also call Poison Control at 1-800-222-1222 (US).",
    (
        "overdose",
        "es",
    ): "También puede llamar a Control de Envenenamientos al 1-800-222-1222 (EE. UU.).",
    ("anaphylaxis", "en"): "If you have an epinephrine auto-injector, use it now, then call 911.",
    (
        "anaphylaxis",
        "es",
    ): "Si tiene un autoinyector de epinefrina, úselo ahora y luego llame al 911.",
}
CRISIS = {
    "en": (
        "You matter, and help is available right now. In the US, call or text 988 to reach "
        "the 988 Suicide & Crisis Lifeline, any time, day or night, or chat at 988lifeline.org. "
        "If you are in immediate danger, call 911."
    ),
    "es": (
        "Usted importa y hay ayuda disponible ahora mismo. En EE. UU., llame o envíe un "
        "mensaje de texto al 988 (988 Suicide & Crisis Lifeline, con ayuda en español), a "
        "cualquier hora. Si está en peligro inmediato, llame al 911."
    ),
}
DECLINE_DOSE = {
    "en": (
        "I can't tell you how much medicine to take or whether to change or stop it. Only "
        "your care team can decide that, because they know your health. Please ask your "
        "doctor, nurse, or pharmacist. Here is general information from our guidance."
    ),
    "es": (
        "No puedo decirle cuánto medicamento tomar ni si debe cambiarlo o dejarlo. Solo su "
        "equipo médico puede decidirlo, porque conoce su salud. Pregunte a su médico, "
        "enfermera o farmacéutico. Aquí hay información general de nuestras guías."
    ),
}
DECLINE_DIAGNOSIS = {
    "en": (
        "I can't tell whether you have a health problem. That takes your care team, who can "
        "talk with you and examine you. Here is general information that may help you talk "
        "with them."
    ),
    "es": (
        "No puedo decirle si tiene un problema de salud. Para eso necesita a su equipo "
        "médico, que puede hablar con usted y examinarlo. Aquí hay información general que "
        "puede ayudarle a hablar con ellos."
    ),
}


def emergency_message(category: str, language: str) -> str:
    if category == "suicide":
        return CRISIS[language]
    extra = EXTRA.get((category, language))
    return f"{EMERGENCY[language]} {extra}" if extra else EMERGENCY[language]
