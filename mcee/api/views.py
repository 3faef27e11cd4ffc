"""The API's own pages: its root, the OpenAPI schema, and a documentation page rendered here from
that schema (no script, nothing from another server: the Content Security Policy forbids CDNs; see
docs/decisions/0007-api.md)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..markings import marking_for

METHODS = ("get", "post", "put", "patch", "delete")


class MarkedResponseMixin:
    """Every API response carries the security marking in a header, in the response's language, and
    gives its times in UTC (``2026-12-05T02:00:00Z``), whatever the server's time zone."""

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(dt.UTC):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Security-Marking"] = marking_for()
        return response


class SchemaView(MarkedResponseMixin, SpectacularAPIView):
    """``/api/schema/``: the OpenAPI 3 schema, YAML (``?format=json`` for JSON). Signed-in callers only."""

    permission_classes = [permissions.IsAuthenticated]


def _resolve(schema: dict, node):
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return name, schema.get("components", {}).get("schemas", {}).get(name, {})
    return None, node or {}


def operations(schema: dict) -> list[dict]:
    """The schema's operations, flattened for the page."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            body_name = None
            if body:
                body_name, _body = _resolve(schema, next(iter(body.values())).get("schema"))
            responses = []
            for code, response in sorted(operation.get("responses", {}).items()):
                content = response.get("content", {})
                name = None
                if content:
                    name, _ = _resolve(schema, next(iter(content.values())).get("schema"))
                responses.append({"code": code, "description": response.get("description", ""), "schema": name})
            found.append({
                "id": operation.get("operationId", f"{method}-{path}"),
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": list(operation.get("parameters", [])),
                "body": body_name,
                "responses": responses,
                "tag": (operation.get("tags") or [""])[0],
            })
    return found


def components(schema: dict) -> list[dict]:
    result = []
    for name, component in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(component.get("required", []))
        fields = []
        for field_name, field in component.get("properties", {}).items():
            ref, resolved = _resolve(schema, field)
            kind = ref or resolved.get("type", "")
            if resolved.get("type") == "array":
                item_ref, item = _resolve(schema, resolved.get("items"))
                kind = f"array of {item_ref or item.get('type', '')}"
            if resolved.get("format"):
                kind = f"{kind} ({resolved['format']})"
            fields.append({"name": field_name, "type": kind, "required": field_name in required,
                           "nullable": bool(resolved.get("nullable")), "read_only": bool(resolved.get("readOnly")),
                           "description": resolved.get("description", ""),
                           "choices": resolved.get("enum") or []})
        result.append({"name": name, "description": component.get("description", ""), "fields": fields})
    return result


class DocumentationView(MarkedResponseMixin, APIView):
    """``/api/docs/``: every operation, parameter and schema of the API, as a page of this server."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [TemplateHTMLRenderer]
    template_name = "mcee/api_docs.html"
    throttle_classes = []
    schema = None  # a page about the API, not part of it

    def get(self, request):
        schema = SchemaGenerator(urlconf=None).get_schema(request=None, public=True)
        return Response({
            "title": _("MCEE API"),
            "info": schema.get("info", {}),
            "operations": operations(schema),
            "components": components(schema),
        })
