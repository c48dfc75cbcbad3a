"""Ingest: read guidance in several formats, split it into chunks, hand it to the index."""
