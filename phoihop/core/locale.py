"""The language of a page: Vietnamese (settings.LANGUAGE_CODE) unless the person chose another with the switch.

Django's LocaleMiddleware follows the browser's Accept-Language, so a civil servant on a browser set up in
English got an English UI. Here the page language is the one chosen with the language switch (the
`set_language` view stores it in the language cookie), else the site's default; Accept-Language is not
consulted for pages. The API (/api/) still honours Accept-Language: another system asks for its language
explicitly.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str | None:
    """The language the person chose with the switch (the language cookie), if it is one we offer."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Activate the chosen language, or the site's default whatever the browser asks for (the API excepted)."""

    api_prefix = "/api/"

    def process_request(self, request):
        if request.path_info.startswith(self.api_prefix):
            return super().process_request(request)
        language = chosen_language(request) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if request.path_info.startswith(self.api_prefix):
            return super().process_response(request, response)
        # The page depends on the language cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
