"""Matching engines: affinity and explanations, panel assignment, 1:1 meeting scheduling."""
