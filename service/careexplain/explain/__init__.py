"""Personalised explanations: each active problem and medicine, grounded and cited."""
