"""Readers and writers of the files offices exchange (CSV, XLSX, JSON, JSON Lines, ROR), with reports."""
