"""The REST API's small framework (``/api/v1/``). It knows no app: each app declares its serializers
and viewsets in its own ``api.py`` and registers them here (``mcee.api.registry``), as reports are.

- ``tokens``: system accounts and their tokens (create, revoke, check), stored hashed;
- ``authentication``: ``Authorization: Bearer <token>`` for systems, the admin session for people;
- ``viewsets``: listings and objects filtered by the one policy (``mcee.access``), 404 for what the
  caller may not see, 403 for what it may see but not change, every write audited as ``api``;
- ``pagination`` and ``filters``: pages in a stable order of last change, ``updated_since``,
  ``country`` and ``fiscal_year``, so a nightly job pulls what changed without missing a row;
- ``throttling``: requests per token and minute, on the shared cache;
- ``views``: the OpenAPI schema and its documentation page, served from this server only.

See docs/api.md (for the systems' developers) and docs/decisions/0007-api.md (why).
"""
