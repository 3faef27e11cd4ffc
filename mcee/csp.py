"""Content Security Policy: strict on reader pages, relaxed for scripts only inside the admin.

Wagtail's admin writes a few inline scripts (date pickers, inline panels) that carry no nonce, so
``/admin/`` pages add ``'unsafe-inline'`` to ``script-src``. Reader pages and the API keep the
strict policy of ``CONTENT_SECURITY_POLICY``. See docs/decisions/0002-access-and-audit.md.
"""

from csp.middleware import CSPMiddleware, PolicyParts


class McEECSPMiddleware(CSPMiddleware):
    admin_prefix = "/admin/"

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(self.admin_prefix) and parts.update is None:
            parts.update = {"script-src": ["'unsafe-inline'"]}
        return parts
