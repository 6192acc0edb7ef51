import pytest


@pytest.fixture(autouse=True)
def _checkpoints_in_tmp(settings, tmp_path):
    """Checkpoints go to a per-test folder, never to the developer's var/."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    return settings.AUDIT_CHECKPOINT_DIR
