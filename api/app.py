"""The FastAPI application factory: the store is opened at start-up, or injected by tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api.access_log import query_strings_dropped
from api.errors import install_error_handlers
from api.routers import health, sparql, update
from api.routers import linked_data, void
from kg import __version__
from kg.dumps import Dumps
from kg.settings import Settings, get_settings
from kg.store import GraphStore

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(*, store: GraphStore | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app; without `store`, the on-disk store of `settings.data_dir` is opened."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or GraphStore.open(settings, query_workers=True)
        app.state.dumps = Dumps(app.state.store)
        with query_strings_dropped():
            yield
        if store is None:
            app.state.store.close()

    app = FastAPI(
        title="MWG Knowledge Graph",
        version=__version__,
        description="States, treaties, UN recommendations, companies, communities and SDGs, as linked data.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(update.router)
    app.include_router(linked_data.router)
    app.include_router(void.router)
    # Any site may read the public data from a browser; no cookies or credentials are involved.
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_credentials=False,
        allow_headers=["Accept", "Content-Type"], expose_headers=["X-MWG-Truncated"], max_age=3600,
    )
    app.mount("/static/editor", StaticFiles(directory=STATIC_DIR / "editor"), name="editor-assets")
    return app
