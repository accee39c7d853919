"""Every setting of the service, in one place (environment variables prefixed `MWG_KG_`).

Each field has a default and a line of help; the README's settings table is checked against
this class by `tests/test_docs.py`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MWG_KG_", extra="ignore")

    data_dir: Path = Field(
        Path("data/store"),
        description="Folder of the embedded on-disk store (created by `mwg-kg init`).",
    )
    ontology_dir: Path | None = Field(
        None,
        description="Folder holding the ontology, shapes and reference tables; "
        "defaults to the one shipped with the package.",
    )
    queries_dir: Path | None = Field(
        None,
        description="Folder of named SPARQL queries (`*.rq`); defaults to the one shipped with the package.",
    )
    query_timeout: float = Field(
        30.0, gt=0, description="Seconds a query may run before it is stopped."
    )
    max_rows: int = Field(
        10_000, gt=0, description="Most rows a SELECT returns; beyond it the answer is marked truncated."
    )
    max_query_length: int = Field(
        100_000, gt=0, description="Longest SPARQL query text accepted, in characters."
    )
    max_upload_bytes: int = Field(
        50_000_000, gt=0, description="Largest RDF file `load` accepts, in bytes."
    )
    host: str = Field("127.0.0.1", description="Address `mwg-kg serve` listens on.")
    port: int = Field(8000, gt=0, lt=65536, description="Port `mwg-kg serve` listens on.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read from the environment once per process."""
    return Settings()
