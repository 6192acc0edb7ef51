"""Tampering the way a DBA with write access would: around the append-only triggers."""

from django.db import connection


def raw(sql, params=()):
    """Run SQL on the audit table with the append-only triggers out of the way (a superuser's power)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")  # a superuser skipping triggers
            cur.execute(sql, params)
            cur.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            cur.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cur.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
            cur.execute(sql, params)


def empty_log():
    """Start from an empty log (the test database holds events of the session's set-up)."""
    from phoihop.audit.models import AuditChainHead

    raw("DELETE FROM audit_auditevent")
    AuditChainHead.objects.all().delete()
