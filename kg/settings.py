"""Every setting of the service, in one place (environment variables prefixed `MWG_KG_`).

Each field has a default and a line of help; the README's settings table is checked against
this class by `tests/test_docs.py`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.paths import bundled_dir


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MWG_KG_", extra="ignore")

    data_dir: Path = Field(
        Path("data/store"),
        description="Folder of the embedded on-disk store (created by `mwg-kg init`).",
    )
    dump_dir: Path | None = Field(
        None,
        description="Folder where the server writes the downloadable dump (`/dumps/mwg-kg.nq.gz`) and its "
        "checksum; defaults to a `dumps` folder beside `data_dir`.",
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
    max_concurrent_queries: int = Field(
        0, ge=0, description="Queries the server evaluates at once, each in its own killable worker process; "
        "0 means one per CPU core. Beyond it a query waits `query_queue_seconds`, then gets 429.",
    )
    query_queue_seconds: float = Field(
        1.0, ge=0, description="Seconds a query waits for a free worker before it is refused with 429."
    )
    update_token: SecretStr | None = Field(
        None, description="Bearer token that enables `/update`; without it SPARQL Update is off."
    )
    max_request_bytes: int = Field(
        10_000_000, gt=0, description="Largest request body `/update` accepts, in bytes."
    )
    host: str = Field("127.0.0.1", description="Address `mwg-kg serve` listens on.")
    port: int = Field(8000, gt=0, lt=65536, description="Port `mwg-kg serve` listens on.")

    # Resolved folders: every module asks for these, so one setting moves them all.

    @property
    def ontology_path(self) -> Path:
        """The folder of the ontology, shapes and reference tables in use."""
        return self.ontology_dir or bundled_dir("ontology")

    @property
    def reference_path(self) -> Path:
        """The folder of the reference tables (`states.csv`, `instruments.csv`, …)."""
        return self.ontology_path / "reference"

    @property
    def queries_path(self) -> Path:
        """The folder of named queries in use."""
        return self.queries_dir or bundled_dir("queries")

    @property
    def dump_path(self) -> Path:
        """Where the dump is written: `dump_dir`, or a `dumps` folder beside the store's folder.

        >>> Settings(data_dir=Path("/srv/kg/store")).dump_path
        PosixPath('/srv/kg/dumps')
        """
        return self.dump_dir or Path(self.data_dir).resolve().parent / "dumps"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read from the environment once per process."""
    return Settings()
