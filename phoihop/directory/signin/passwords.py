"""Password rules of OWASP ASVS L2 that Django does not ship."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    """ASVS 2.1.2: passwords of at least 64 characters are allowed; past `max_length` (128) refused."""

    def __init__(self, max_length: int = 128):
        self.max_length = max(max_length, 64)

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is too long: at most %(max_length)d characters."),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Your password can be up to %(max_length)d characters long.") % {"max_length": self.max_length}
