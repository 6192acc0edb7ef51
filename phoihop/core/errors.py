"""Domain errors raised by services; views turn them into messages, the API into 400/409 responses."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses, with a user-facing (translatable) reason."""

    status_code = 400

    def __init__(self, message, *, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not do this to this object."""

    status_code = 403


class Conflict(DomainError):
    """The object is not in a state that allows the move."""

    status_code = 409
