"""Shared test set-up: the reference data is loaded once per test database."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from phoihop.rulesets.services import ruleset_load

    with django_db_blocker.unblock():
        ruleset_load(code_or_path="soctrang-2013")


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploaded evidence and other files go to a per-test folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
    }


@pytest.fixture(autouse=True)
def _english(settings):
    """Unit tests read the English source strings; the Vietnamese default is checked on its own."""
    settings.LANGUAGE_CODE = "en"


def _uses_database(request) -> bool:
    """The test may use the database: it is marked django_db or asks (through a fixture) for one."""
    marker = request.node.get_closest_marker("django_db")
    return marker is not None or bool({"db", "transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Rate-limit counters and cached reference data start empty in every test.

    The cache is the database cache (config.settings; the test database gets its table from Django's
    test set-up, which runs `createcachetable`), so only a test that may use the database touches it.
    """
    if not _uses_database(request):
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("_django_db_helper")  # the test database is open before the cache is used
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_step(monkeypatch):
    """`client.force_login(user)` stands for a complete sign-in, second step included; the tests of signing
    in itself post the sign-in forms (phoihop/directory/signin/tests)."""
    from django.test import Client

    from phoihop.directory.signin.policy import PASSED, STATE_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[STATE_KEY] = PASSED
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
