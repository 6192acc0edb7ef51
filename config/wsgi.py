"""WSGI entry point (gunicorn, started by `phoihop serve`, or any WSGI server)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from phoihop.site.wsgi import build

application = build()
