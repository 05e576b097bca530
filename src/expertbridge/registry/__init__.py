"""Domain services of the registry: experts, organizations, opportunities, events, audit, visibility."""
