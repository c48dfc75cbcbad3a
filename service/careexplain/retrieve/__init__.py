"""Retrieve: dense and BM25 search over the index, fused, filtered and capped per document."""
