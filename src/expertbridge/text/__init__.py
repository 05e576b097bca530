"""Pure text engine: normalisation and script detection (no database, no web)."""
