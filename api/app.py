"""The FastAPI application factory: the store is opened at start-up, or injected by tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routers import health, sparql
from kg import __version__
from kg.settings import Settings, get_settings
from kg.store import GraphStore


def create_app(*, store: GraphStore | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app; without `store`, the on-disk store of `settings.data_dir` is opened."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or GraphStore.open(settings)
        yield

    app = FastAPI(
        title="MWG Knowledge Graph",
        version=__version__,
        description="States, treaties, UN recommendations, companies, communities and SDGs, as linked data.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(sparql.router)
    return app
