"""The downloadable dump: the whole store as gzipped N-Quads, with its SHA-256 beside it.

It is written into `settings.dump_path` by the store's own export and stamped with the store's
`version` (store identity and commit count), so it is made again only after a commit, not after
a restart. The version is read before the export: the dump holds at least that version, and a
commit that lands meanwhile only makes the next request write it again. Gzip is written with a
zero timestamp, so the same data gives the same bytes and checksum; files are replaced
atomically, so a download never sees half a dump.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from kg.formats import NQUADS
from kg.store import GraphStore

DUMP_NAME = "mwg-kg.nq.gz"


@dataclass(frozen=True)
class Dump:
    path: Path
    sha256: str

    @property
    def checksum_line(self) -> str:
        """The `sha256sum` line: `sha256sum -c` checks the download with it."""
        return f"{self.sha256}  {self.path.name}\n"


class Dumps:
    """The dumps of one store; one is written at a time, whoever asks."""

    def __init__(self, store: GraphStore):
        self.store = store
        self._lock = threading.Lock()

    @property
    def folder(self) -> Path:
        return self.store.settings.dump_path

    def current(self) -> Dump:
        """The dump of the store as it is now, written first if the store changed since the last one."""
        with self._lock:
            version = self.store.version
            existing = self._recorded(version)
            return existing or self._write(version)

    def _recorded(self, version: str) -> Dump | None:
        path, meta_path = self.folder / DUMP_NAME, self.folder / (DUMP_NAME + ".json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("version") == version and path.is_file():
                return Dump(path=path, sha256=meta["sha256"])
        except (OSError, ValueError, KeyError):
            return None  # no dump yet, or its record unreadable: write it again
        return None

    def _write(self, version: str) -> Dump:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / DUMP_NAME
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".dump-", suffix=".nq.gz")
        try:
            with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
                self.store.export(packed, NQUADS)
            sha256 = _sha256_of(Path(temporary))
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        dump = Dump(path=path, sha256=sha256)
        _write_atomically(self.folder / (DUMP_NAME + ".sha256"), dump.checksum_line)
        _write_atomically(self.folder / (DUMP_NAME + ".json"), json.dumps({"version": version, "sha256": sha256}))
        return dump


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
