"""Stage 5: YAML rules evaluated against a document's facts."""
