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


def rehash(*, from_seq=1, key=None):
    """Recompute hashes from `from_seq` on and mend the head, as an attacker would.

    key=None: plain SHA-256 (an attacker without the key guessing the scheme); a key: HMAC with that key
    (the wrong one, or the right one stolen).
    """
    import hashlib

    from phoihop.audit.chain import GENESIS, canonical, link
    from phoihop.audit.models import AuditChainHead, AuditEvent

    prev = GENESIS
    for event in AuditEvent.objects.order_by("seq"):
        if event.seq >= from_seq:
            if key is None:
                event.hash = hashlib.sha256(prev.encode() + canonical(event)).hexdigest()
            else:
                event.hash = link(prev, event, key=key)
            raw("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s", [prev, event.hash, event.seq])
        prev, last = event.hash, event.seq
    AuditChainHead.objects.filter(id=1).update(seq=last, hash=prev)


def cut_tail(from_seq):
    """Delete events from `from_seq` on and mend the head row so the shortened chain looks whole."""
    from phoihop.audit.models import AuditChainHead, AuditEvent

    raw("DELETE FROM audit_auditevent WHERE seq >= %s", [from_seq])
    last = AuditEvent.objects.order_by("seq").last()
    AuditChainHead.objects.filter(id=1).update(seq=last.seq, hash=last.hash)
