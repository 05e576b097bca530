"""One query interface over the registry: ranked text search with exact filters."""
