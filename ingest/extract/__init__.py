"""Extraction: one module per kind of UN document, each turning its text into records."""
