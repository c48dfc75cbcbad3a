"""Synthetic notes shared by the profile, explanation, handout and API tests."""

from __future__ import annotations

# Active: type 2 diabetes, hypertension, metformin, lisinopril. Not active: asthma (negated),
# heart failure (negated), pneumonia (past), atrial fibrillation (family), amlodipine
# (hypothetical).
MIXED_NOTE = """Medications:
- Metformin 500 mg by mouth twice daily with meals
- Lisinopril 10 mg by mouth once daily

History of present illness:
Patient has type 2 diabetes and hypertension. She denies asthma. No history of heart failure.
She had pneumonia in 2015, now resolved.

Family history:
Mother had atrial fibrillation.

Plan:
If her blood pressure stays high, we may start amlodipine.
"""
ACTIVE_DOCS = {"type-2-diabetes", "high-blood-pressure", "metformin", "ace-inhibitors"}
INACTIVE = ("asthma", "heart failure", "pneumonia", "atrial fibrillation", "amlodipine")
NOTE_DOSES = {"metformin": ("500 mg", "twice daily"), "lisinopril": ("10 mg", "once daily")}
NO_ENTITIES_NOTE = "Patient seen today. We talked about the weather and her garden."
