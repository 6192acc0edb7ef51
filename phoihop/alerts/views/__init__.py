"""Pages of the alerts app."""

from .advisories import (
    advisory_acknowledge,
    advisory_detail,
    advisory_file,
    advisory_inbox,
    advisory_move,
    advisory_new,
    advisory_sent,
)
from .newsroom import newsroom_confirm, newsroom_list, newsroom_subscribe, newsroom_unsubscribe
from .public import public_image, public_list, public_warning
from .warnings import warning_detail, warning_edit, warning_image, warning_list, warning_move, warning_new

__all__ = [
    "advisory_acknowledge",
    "advisory_detail",
    "advisory_file",
    "advisory_inbox",
    "advisory_move",
    "advisory_new",
    "advisory_sent",
    "newsroom_confirm",
    "newsroom_list",
    "newsroom_subscribe",
    "newsroom_unsubscribe",
    "public_image",
    "public_list",
    "public_warning",
    "warning_detail",
    "warning_edit",
    "warning_image",
    "warning_list",
    "warning_move",
    "warning_new",
]
