"""The audit trail: who changed what (before and after), when, and from where.

django-auditlog writes one entry per create, change and delete of every registered model, with
the field-by-field before/after, the actor and the remote address (see docs/decisions/0002).
This module adds *from where*: a context variable set by the admin middleware, the imports, the
commands and the API, stored in each entry's ``additional_data``.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

ADMIN, IMPORT, API, COMMAND, SYSTEM = "admin", "import", "api", "command", "system"
_source: ContextVar[str] = ContextVar("mcee_audit_source", default=SYSTEM)


def current_source() -> str:
    return _source.get()


@contextlib.contextmanager
def audit_source(source: str, actor=None, remote_addr: str | None = None):
    """Mark every change made inside the block as coming from ``source`` (and ``actor``).

    An import started through the API (a travel-document batch) stays ``api``: the API is where the
    change came from, and its import run records the import itself.
    """
    from auditlog.context import set_actor

    if source == IMPORT and _source.get() == API:
        source = API
    token = _source.set(source)
    try:
        if actor is not None:
            with set_actor(actor, remote_addr=remote_addr):
                yield
        else:
            yield
    finally:
        _source.reset(token)


class AuditedMixin:
    """Mixed into audited models: auditlog stores this in each entry's ``additional_data``."""

    def get_additional_data(self):
        return {"source": current_source()}


class AuditSourceMiddleware:
    """Requests to the admin are marked as such; the API marks its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = API if request.path.startswith("/api/") else ADMIN
        token = _source.set(source)
        try:
            return self.get_response(request)
        finally:
            _source.reset(token)
