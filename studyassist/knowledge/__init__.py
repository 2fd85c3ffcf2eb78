"""The knowledge model ingest writes and everything else reads: rules, tables, concepts, facets, the Chroma store."""
