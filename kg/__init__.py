"""Core library of the MWG Knowledge Graph: store gateway, IRIs, validation, reference data.

No HTTP and no spaCy here: `ingest` and `api` build on this package.
"""

__version__ = "0.1.0"
