"""`/health`: is the service up, and what does its store hold."""

from __future__ import annotations

from fastapi import APIRouter, Request

from kg import __version__

router = APIRouter()


@router.get("/health", summary="Service status and store size")
def health(request: Request) -> dict:
    store = request.app.state.store
    return {"status": "ok", "version": __version__, "triples": len(store), "graphs": len(store.graph_names())}
