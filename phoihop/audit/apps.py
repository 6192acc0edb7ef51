from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "phoihop.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        """Audit signing in and out and every change made through the Django admin (see audit.signals)."""
        from django.contrib import admin
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save

        from . import signals

        user_logged_in.connect(signals.on_logged_in, dispatch_uid="audit.auth.login")
        user_logged_out.connect(signals.on_logged_out, dispatch_uid="audit.auth.logout")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="audit.auth.login_failed")
        post_save.connect(signals.on_admin_log_entry, sender=LogEntry, dispatch_uid="audit.admin.change")
        if "delete_selected" in {name for name, _action in admin.site.actions}:  # unless a deployment switched it off
            admin.site.add_action(signals.audited_delete_selected, "delete_selected")
