"""What every HTML page shares: the templates and the server's own path prefix."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


def root_of(request: Request) -> str:
    """This server's path prefix (empty unless mounted under one): links on pages start with it."""
    return request.scope.get("root_path", "").rstrip("/")
