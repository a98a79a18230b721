"""graphstore: knowledge-graph storage with plugin backends (docs/python.md)."""
