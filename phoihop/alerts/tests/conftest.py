import pytest

from .factories import make_cast


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
