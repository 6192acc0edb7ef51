"""The public site of warnings (Đ9): no sign-in, phone-friendly. A list, a page per warning (its address is the
slug), its images and the related indicators that are LISTED (never a mere report)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .. import selectors
from ..models import WarningImage
from .common import file_response

PAGE_SIZE = 20


@require_GET
@cache_control(public=True, max_age=60)
def public_list(request):
    page = Paginator(selectors.published_warnings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "alerts/public_list.html", {"page": page, "warnings": list(page.object_list)})


@require_GET
@cache_control(public=True, max_age=60)
def public_warning(request, slug: str):
    warning = selectors.published_warning(slug)
    if warning is None:
        raise Http404
    share_url = request.build_absolute_uri(request.path)
    context = {
        "warning": warning,
        "images": list(warning.images.defer("data")),
        "listed": selectors.listed_of(warning),
        "share_url": share_url,
    }
    return render(request, "alerts/public_warning.html", context)


@require_GET
def public_image(request, slug: str, pk: int):
    warning = selectors.published_warning(slug)
    if warning is None:
        raise Http404
    stored = get_object_or_404(WarningImage, warning=warning, pk=pk)
    return file_response(stored, inline=True, cache="public, max-age=3600")
