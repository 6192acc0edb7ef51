"""The DEMO banner on every page while the demo runs (`phoihop serve --demo`)."""

from django.conf import settings


def demo(request):
    return {"demo_mode": getattr(settings, "PHOIHOP_DEMO", False) is True}
