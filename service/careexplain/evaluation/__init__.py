"""Evaluation: the one home of every quality metric (retrieval, answers, safety, notes)."""
