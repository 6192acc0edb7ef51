from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "phoihop.core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(_repair_search_indexes, sender=self)
        post_migrate.connect(_create_cache_table, sender=self)


def _create_cache_table(using="default", **kwargs):
    """The shared cache (rate limits, the reference-data generation) is a table by default: `migrate`
    creates it, so no setup path (a first `load-rules`, a benchmark, a restore) can miss it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _repair_search_indexes(using="default", **kwargs):
    """SQLite rebuilds a table when a later migration alters it, dropping the search triggers: restore them."""
    from .search import ensure_search_indexes

    ensure_search_indexes(using)
