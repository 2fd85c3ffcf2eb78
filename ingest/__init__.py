"""Ingest: turn the review documents in corpus/ into the knowledge base and the Chroma index (parser, orientation,
areas, concepts, chunks, indexer)."""
