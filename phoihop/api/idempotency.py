"""Idempotency keys on every POST of the API: a retry never does the work twice.

A client that is not sure its POST arrived (a timeout, a dropped connection) sends it again with the same
`Idempotency-Key` header (any unique string of its own, a UUID say, at most 255 printable characters):

- the first request with a key runs as usual; when it succeeds (2xx) its response is kept for 24 hours,
  under the caller (its organisation, or the account when it has none) and the key, with a SHA-256 of the
  method, path and body (a JSON body in canonical form; a form's fields and each file's content);
- the same key with the same request answers the kept response again (status, body, the headers the view
  set such as `Location`) with `Idempotent-Replayed: true`, without running the service again;
- the same key with a different request is refused (422, problem details naming `Idempotency-Key`);
- the same key while the first request is still running is refused (409): retry a little later;
- a refusal (4xx) or a failure is not kept: the key is free again, so the corrected request can use it;
- keys expire after 24 hours (sweep(), on the periodic sweep hook); an expired key is like a new one.

Without the header a POST runs as before. Every POST view of every app's API is wrapped with `@idempotent`
(phoihop/api/tests/test_idempotency.py checks that none is missed). The report create of intake keeps its
own semantics (the key becomes the report's external_ref), as does the bulk import (one key per file).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from phoihop.core.errors import Conflict, DomainError, Invalid

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
TTL = dt.timedelta(hours=24)
# A first request still marked running after this long died with its process (its work was rolled back with
# it, since the work and the kept response commit together): the key may be taken again.
ABANDONED_AFTER = dt.timedelta(minutes=10)
# Headers of the response that belong to the transport, not to what the view answered.
_TRANSPORT_HEADERS = {"content-type", "content-length", "vary", "allow", "date", "server"}


class KeyReused(DomainError):
    """The key was first sent with another request: 422, so the client does not take the old answer as its own."""

    status_code = 422
    title = "Idempotency key reused"


def _valid_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in key):
        raise Invalid(
            {HEADER: [_("Give at most %(n)d printable ASCII characters, unique per request.") % {"n": MAX_KEY_LENGTH}]},
            code="idempotency_key_invalid",
        )
    return key


def _owner(user) -> str:
    return f"org:{user.organisation_id}" if getattr(user, "organisation_id", None) else f"user:{user.pk}"


def _file_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)  # the view reads it again
    return digest.hexdigest()


def _canonical_body(data: Any) -> str:
    """The parsed body in one canonical form: JSON with sorted keys; a form's fields and files sorted."""
    if hasattr(data, "lists"):  # a form or multipart body (QueryDict): files by name, size and content
        items = [
            [name, ["file", value.name, value.size, _file_digest(value)] if isinstance(value, UploadedFile) else value]
            for name, values in data.lists()
            for value in values
        ]
        # Sorted by their JSON text: a field may hold a text and a file under one name (not comparable).
        items.sort(key=lambda item: json.dumps(item, default=str))
        return json.dumps(items, ensure_ascii=False, default=str)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def fingerprint(request) -> str:
    """SHA-256 of the method, the path (with its query) and the body (parsed here: a bad body is a 400 now)."""
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path(), _canonical_body(request.data)):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    data = json.loads(record.response_body) if record.response_body else None
    headers = {**record.response_headers, REPLAYED_HEADER: "true"}
    return Response(data, status=record.response_status, headers=headers)


def _claim(owner: str, key: str, print_: str, request) -> IdempotencyRecord | Response:
    """Mark the key as running for this request (committed at once, so a concurrent retry sees it), or answer
    the retry: the kept response, or a refusal."""
    now = timezone.now()
    fields = {
        "fingerprint": print_,
        "method": request.method,
        "path": request.get_full_path()[:2000],
        "response_status": None,
        "response_body": "",
        "response_headers": {},
        "created_at": now,
        "expires_at": now + TTL,
    }
    for _attempt in range(2):  # a record deleted (swept) between the insert and the read: once more
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(owner=owner, key=key, **fields)
        except IntegrityError:
            record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
        if record is None:
            continue
        running = record.response_status is None
        if record.expires_at <= now or (running and record.created_at <= now - ABANDONED_AFTER):
            # Expired, or left running by a process that died: taken over, unless another retry did first.
            taken = IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).update(**fields)
            if taken:
                record.refresh_from_db()
                return record
            running = True
        elif record.fingerprint != print_:
            raise KeyReused(
                _(
                    "This Idempotency-Key was first used with another request (%(method)s %(path)s or another "
                    "body). Use a new key for a new request."
                )
                % {"method": record.method, "path": record.path},
                code="idempotency_key_reused",
                field=HEADER,
            )
        if running:
            raise Conflict(
                _("A request with this Idempotency-Key is still being processed. Retry in a moment."),
                code="idempotency_key_in_use",
                field=HEADER,
            )
        return _replay(record)
    raise Conflict(_("A request with this Idempotency-Key is still being processed. Retry in a moment."))


def _keep(record: IdempotencyRecord, response) -> bool:
    """Keep a 2xx response to replay it; False if it cannot be replayed faithfully (not a DRF response)."""
    if not (200 <= response.status_code < 300 and isinstance(response, Response)):
        return False
    record.response_status = response.status_code
    record.response_body = "" if response.data is None else json.dumps(response.data, cls=JSONEncoder)
    record.response_headers = {k: v for k, v in response.items() if k.lower() not in _TRANSPORT_HEADERS}
    record.save(update_fields=["response_status", "response_body", "response_headers"])
    return True


def idempotent(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a view's `post(self, request, ...)`: see the module docstring. Authentication, permissions and
    throttles have run (DRF's `initial`) before it, so a refused caller never touches a key."""

    @functools.wraps(handler)
    def post(self, request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None or getattr(request, "_idempotency_handled", False):  # no key, or an outer wrapper has it
            return handler(self, request, *args, **kwargs)
        request._idempotency_handled = True
        key = _valid_key(raw)
        print_ = fingerprint(request)
        claimed = _claim(_owner(request.user), key, print_, request)
        if isinstance(claimed, Response):
            return claimed
        kept = False
        try:
            # The work and the kept response commit together: a crash in between leaves neither.
            with transaction.atomic():
                response = handler(self, request, *args, **kwargs)
                kept = _keep(claimed, response)
        finally:
            if not kept:  # refused, failed or not replayable: the key is free for the next attempt
                IdempotencyRecord.objects.filter(pk=claimed.pk, response_status__isnull=True).delete()
        return response

    post.idempotent = True  # type: ignore[attr-defined]
    return post


def sweep() -> int:
    """PERIODIC_SWEEP_HOOK: forget the keys older than 24 hours. Sends nothing, so 0 messages failed."""
    IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
    return 0
