"""The OpenAPI schema's shared parts: the error responses every operation may give, and the token
security scheme. Used by drf-spectacular (``SPECTACULAR_SETTINGS`` in mcee/settings/base.py)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = {
    "type": "object",
    "description": "What went wrong, in a sentence, in the language asked for (Accept-Language).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
INVALID = {
    "type": "object",
    "description": "The request was refused and nothing was written: each field (or the batch's rows) with "
                   "the reasons.",
    "additionalProperties": True,
}
_ERRORS = {
    "400": ("Invalid", "The request was refused; nothing was written."),
    "401": ("Error", "No token, or a token that is wrong, revoked or expired."),
    "403": ("Error", "The token's role may not do this (to this kind of record, or to this record)."),
    "404": ("Error", "No such record, or one outside what the token's role may see."),
    "429": ("Error", "Too many requests for this token; wait the seconds given in Retry-After."),
}


def add_error_responses(result, generator, request, public):
    """Every operation documents the errors it can give, so a client (and schemathesis) knows them."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    components["Invalid"] = INVALID
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = ["401", "403", "429", "400"]
            if "{" in path:
                codes.append("404")
            for code in codes:
                schema_name, description = _ERRORS[code]
                reference = {"$ref": f"#/components/schemas/{schema_name}"}
                response = {"description": description, "content": {"application/json": {"schema": reference}}}
                if code == "429":
                    response["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                           "description": "Seconds to wait."}}
                responses.setdefault(code, response)
    return result


class SystemTokenScheme(OpenApiAuthenticationExtension):
    target_class = "mcee.api.authentication.SystemTokenAuthentication"
    name = "systemToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "mcee_<prefix>_<secret>",
                "description": "A system account's token, made by an MCET administrator (Settings → API tokens)."}


class PersonSessionScheme(OpenApiAuthenticationExtension):
    target_class = "mcee.api.authentication.PersonSessionAuthentication"
    name = "workspaceSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "A person signed in to the workspace (the browsable API)."}


def only_this_api(endpoints):
    """The schema describes /api/v1/ only (Wagtail's own admin API is not ours to publish)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
