"""The scholars' web app: server-rendered pages beside the JSON API (docs/design.md §7).

:func:`install` adds the pages, their static files (every asset vendored, nothing fetched at run time)
and the offline /docs and /redoc to an app made by :func:`search_api.app.create_app`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def install(app: FastAPI) -> None:
    """Mount /static, the page routes and the /rights/{id} content negotiation on ``app``. The app must
    be created with ``docs_url=None, redoc_url=None`` (the pages serve offline versions of both)."""
    from search_api.web.routes import STATIC_DIR, RightsNegotiation, router

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    app.add_middleware(RightsNegotiation)
