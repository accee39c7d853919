"""Where the project's data folders (`ontology/`, `queries/`) are found.

An installed wheel carries them under `kg/_data/`; a source checkout (editable install) has them
at the repository root. A setting overrides both (see `kg.settings`).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE_DIR / "_data"
_CHECKOUT = _PACKAGE_DIR.parent


def bundled_dir(name: str) -> Path:
    """Return the folder `name` ("ontology" or "queries") shipped with this installation."""
    for base in (_BUNDLED, _CHECKOUT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"the '{name}' folder is neither in {_BUNDLED} nor in {_CHECKOUT}; "
        f"set MWG_KG_{name.upper()}_DIR to its location"
    )
