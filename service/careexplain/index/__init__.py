"""The index: embeddings, FAISS, BM25 and chunk metadata, built aside and swapped in atomically."""
