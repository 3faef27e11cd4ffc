"""The API's registry: each app's ``api.py`` registers its viewsets; ``mcee.api.urls`` routes them.

Adding an endpoint is one viewset and one ``register`` call, in the app that owns the data::

    register("key-messages", KeyMessageViewSet)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    prefix: str
    viewset: type
    basename: str


_ROUTES: dict[str, Route] = {}


def register(prefix: str, viewset: type, *, basename: str | None = None) -> type:
    route = Route(prefix, viewset, basename or prefix)
    known = _ROUTES.get(prefix)
    if known is not None and known.viewset is not viewset:
        raise ValueError(f"Two API viewsets are registered at {prefix!r}.")
    _ROUTES[prefix] = route
    return viewset


def registered_routes() -> list[Route]:
    return [_ROUTES[prefix] for prefix in sorted(_ROUTES)]
