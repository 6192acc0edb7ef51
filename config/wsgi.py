"""WSGI entry point (gunicorn, started by `phoihop serve`), behind the trusted-proxy wrapper when configured."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from phoihop.site.proxy import wrap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = wrap(get_wsgi_application(), settings.TRUSTED_PROXY_OPTIONS)
