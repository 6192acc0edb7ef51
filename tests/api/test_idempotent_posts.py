"""Every POST of the API takes an Idempotency-Key (phoihop.api.idempotency): each view's post (or a viewset's
action answering POST) is wrapped with @idempotent, and the schema documents the header on each POST.
Intake's report create and bulk import keep their own keys (the key becomes the report's external_ref; one key
per file) and say so in their own parameter."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from phoihop.api.schema import IDEMPOTENCY_PARAMETER

# Their own idempotency, declared in phoihop/intake/api (see the module docstring).
OWN_KEYS = {"phoihop.intake.api.views.ReportListCreateView", "phoihop.intake.api.views.ReportImportView"}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _post_handlers():
    for route, callback in _patterns(get_resolver()):
        view_class = getattr(callback, "cls", None)
        if not route.startswith("api/v1/") or view_class is None:
            continue
        actions = getattr(callback, "actions", None)
        name = actions.get("post") if actions is not None else ("post" if hasattr(view_class, "post") else None)
        if name:
            yield route, f"{view_class.__module__}.{view_class.__qualname__}", getattr(view_class, name)


def test_every_post_of_the_api_is_idempotent():
    handlers = list(_post_handlers())
    assert len(handlers) > 20  # the walk found the apps' APIs
    missing = [route for route, name, h in handlers if name not in OWN_KEYS and not getattr(h, "idempotent", False)]
    assert not missing, f"POST without @idempotent: {missing}"


def test_the_schema_documents_the_key_on_every_post():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "Idempotency-Key" in schema["components"]["parameters"][IDEMPOTENCY_PARAMETER]["name"]
    posts = {url: path["post"] for url, path in schema["paths"].items() if "post" in path}
    for url, operation in posts.items():
        headers = [
            p for p in operation.get("parameters", []) if p.get("in") == "header" or "$ref" in p
        ]  # the reusable one, or intake's own
        assert headers, f"{url}: no Idempotency-Key"
        if {"$ref": f"#/components/parameters/{IDEMPOTENCY_PARAMETER}"} in headers:
            assert {"409", "422"} <= set(operation["responses"]), url
