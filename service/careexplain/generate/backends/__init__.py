"""Generator backends: text in, token stream out."""
