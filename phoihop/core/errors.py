"""The one hierarchy of errors that services raise, mapped once at each door.

    DomainError              a request the domain refuses, with a user-facing (translatable) reason
    ├── Invalid              the input is wrong; `errors` maps each field to its messages      -> 400
    ├── NotAllowed           the actor may not do this to this object                          -> 403
    ├── Conflict             the object is not in a state that allows it                       -> 409
    └── Unavailable          a dependency (database, disk, storage) cannot take it now         -> 503

Doors map them in one place each: HTML views show the message (messages beside the form), the API
answers RFC 9457 problem details (phoihop.api.errors), commands exit with `exit_code`.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the domain refuses, with a user-facing (translatable) reason."""

    status_code = 400
    exit_code = 1
    title = "Request refused"

    def __init__(self, message: Any = "", *, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]]:
        """Messages by field ("" when the error concerns no field in particular)."""
        return {self.field or "": [str(self.message)]}


class Invalid(DomainError):
    """The input cannot be accepted; `errors` maps each field to its messages."""

    status_code = 400
    exit_code = 2
    title = "Invalid input"

    def __init__(self, errors: dict[str, list[Any]] | None = None, *, message: Any = "", code: str = "invalid"):
        self._errors = {k: [str(m) for m in v] for k, v in (errors or {}).items()}
        text = str(message) or "; ".join(f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in self._errors.items())
        field = next(iter(self._errors), None) if len(self._errors) == 1 else None
        super().__init__(message or text, code=code, field=field)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors or super().errors


class NotAllowed(DomainError):
    """The actor may not do this to this object."""

    status_code = 403
    exit_code = 3
    title = "Not allowed"


class Conflict(DomainError):
    """The object is not in a state that allows the move."""

    status_code = 409
    exit_code = 4
    title = "Conflict"


class Unavailable(DomainError):
    """A dependency (the database, the disk, the evidence store) cannot take the request now."""

    status_code = 503
    exit_code = 5
    title = "Service unavailable"
