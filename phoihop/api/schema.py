"""The OpenAPI schema's error responses: every 4xx and 5xx is problem details (phoihop.api.errors).

A drf-spectacular post-processing hook, so views document which errors they answer (`400`, `409`...)
with whatever serializer they like and the schema still shows the one shape the API sends:
`application/problem+json` with the `ValidationProblem` component for 400 and `Problem` for the rest.
"""

from __future__ import annotations

from typing import Any

from .errors import PROBLEM_CONTENT_TYPE, ProblemSerializer, ValidationProblemSerializer

PROBLEM = "Problem"
VALIDATION_PROBLEM = "ValidationProblem"
_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


_MESSAGES = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def _problem_schema(*, with_errors: bool) -> dict[str, Any]:
    """ProblemSerializer / ValidationProblemSerializer (phoihop.api.errors) as JSON Schema."""
    fields = dict(ProblemSerializer().fields)
    properties: dict[str, Any] = {}
    for name, field in fields.items():
        kind = {"status": {"type": "integer"}, "errors": dict(_MESSAGES)}.get(name, {"type": "string"})
        properties[name] = {**kind, "description": str(field.help_text)}
    required = [name for name, field in fields.items() if field.required]
    if with_errors:
        properties["errors"]["description"] = str(ValidationProblemSerializer().fields["errors"].help_text)
        required.append("errors")
    return {"type": "object", "properties": properties, "required": required}


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*map(_refs, node)) if node else set()
    return set()


def _problem_response(name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }


IDEMPOTENCY_PARAMETER = "IdempotencyKey"
_IDEMPOTENCY_DOC = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": (
        "Any unique string of yours (a UUID), at most 255 printable ASCII characters, to retry this POST safely. "
        "The first successful (2xx) response is kept for 24 hours for your organisation and this key: the same "
        "request again with the same key gets that response again (with the header `Idempotent-Replayed: "
        "true`) and nothing is done twice. The same key with another request is refused (422); while the "
        "first is still running, 409. A refused request (4xx) is not kept, so the key can be used again."
    ),
}
_IDEMPOTENCY_REFUSALS = {
    "400": "An Idempotency-Key that is empty, too long or not printable ASCII.",
    "409": "The same Idempotency-Key is still being processed (retry in a moment).",
    "422": "The Idempotency-Key was first used with another request (method, path or body).",
}


def _idempotency_key_parameter(result: dict) -> None:
    """One reusable `Idempotency-Key` header parameter (phoihop.api.idempotency) on every POST that does not
    declare the header itself (intake's report create and import, whose keys have their own meaning)."""
    result.setdefault("components", {}).setdefault("parameters", {})[IDEMPOTENCY_PARAMETER] = _IDEMPOTENCY_DOC
    ref = {"$ref": f"#/components/parameters/{IDEMPOTENCY_PARAMETER}"}
    for path in result.get("paths", {}).values():
        operation = path.get("post")
        if operation is None:
            continue
        parameters = operation.setdefault("parameters", [])
        if any(p.get("in") == "header" and p.get("name", "").lower() == "idempotency-key" for p in parameters):
            continue
        parameters.append(ref)
        responses = operation.setdefault("responses", {})
        for code, description in _IDEMPOTENCY_REFUSALS.items():
            if code in responses:
                existing = responses[code].get("description") or ""
                responses[code]["description"] = f"{existing} Or: {description}" if existing else description
            else:
                responses[code] = {"description": description}


def problem_responses(result: dict, generator, request, public) -> dict:
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: error responses become problem details; every POST
    documents the Idempotency-Key header."""
    _idempotency_key_parameter(result)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    replaced: set[str] = set()
    for url, path in result.get("paths", {}).items():
        for method, operation in path.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in list(responses.items()):
                if code[:1] not in {"4", "5"}:
                    continue
                replaced |= _refs(response.get("content", {}))
                name = VALIDATION_PROBLEM if code == "400" else PROBLEM
                responses[code] = _problem_response(name, response.get("description") or "")
            security = operation.get("security", result.get("security"))
            if security and {} not in security:  # only callers with credentials
                responses.setdefault("401", _problem_response(PROBLEM, "Not signed in, or a wrong or revoked token."))
            if "requestBody" in operation:  # a body of a media type no parser of the view reads
                responses.setdefault("415", _problem_response(PROBLEM, "The body is not of a media type it takes."))
            # An Accept header that neither JSON nor problem details satisfies (DRF's content negotiation).
            responses.setdefault("406", _problem_response(PROBLEM, "The Accept header asks for no type it sends."))
            if "{" in url:  # a path naming an object the caller may not see, or that does not exist
                responses.setdefault("404", _problem_response(PROBLEM, "No such object, or not visible to the caller."))
    schemas[PROBLEM] = _problem_schema(with_errors=False)
    schemas[VALIDATION_PROBLEM] = _problem_schema(with_errors=True)
    # The shapes the views named for their errors are no longer used anywhere: drop them.
    still_used = _refs({k: v for k, v in result.items() if k != "components"}) | _refs(schemas)
    for name in replaced - still_used - {PROBLEM, VALIDATION_PROBLEM}:
        schemas.pop(name, None)
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result
