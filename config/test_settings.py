"""Settings of the test suite: the base settings (from the environment) with what tests need on top.

pytest reads this module (pyproject.toml, [tool.pytest.ini_options]); a real server started by the
browser tests runs with config.settings, like any deployment.
"""

from __future__ import annotations

from .settings import *  # noqa: F403
from .settings import DATABASES, PASSWORD_HASHERS, STORAGES

# Argon2 is deliberately slow; tests create many users. Argon2 stays second, so its hashes still verify.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# A persistent SQLite connection would outlive the test database of a live-server or threaded test.
if "sqlite" in DATABASES["default"]["ENGINE"]:  # Django's backend or phoihop.core.sqlite
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # An in-memory test database, said outright: pytest-django recognises SQLite by Django's engine name
    # only, and would otherwise give each xdist worker a file "test_<path>_gw0" that cannot be opened.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"

# Static files from the apps' folders, no collectstatic and no manifest.
WHITENOISE_USE_FINDERS = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Tests change reference rows directly and roll them back: build the routing table afresh every time
# (core.refcache); tests of the cache itself turn it on with override_settings.
PHOIHOP_REFERENCE_CACHE_SECONDS = 0
