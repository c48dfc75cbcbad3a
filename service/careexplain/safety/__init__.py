"""Safety: red-flag escalation and personal-advice policy, applied before retrieval."""
