"""Nurse handouts: drafts built from explanations, stored with versions, rendered to print."""
