"""Where the documents app finds its keys, trust roots and timestamp authority (docs/documents.md).

Each value is read from Django settings when set there, else from the environment:

    PHOIHOP_SIGNING_KEYS   a JSON file: organisation code -> its key (a PKCS#12 file or a PKCS#11 token)
    PHOIHOP_TRUST_ROOTS    trusted root certificates (PEM/DER files or folders), separated by ":"
    PHOIHOP_TSA_URL        an RFC 3161 timestamp authority (none: signatures carry the signer's clock)
    PHOIHOP_VAR_DIR        (settings.VAR_DIR) the demo CA and the demo keys live in var/signing/demo/
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    return str(value) if value not in (None, "") else os.environ.get(name, default)


def signing_keys_file() -> Path | None:
    value = _setting("PHOIHOP_SIGNING_KEYS")
    return Path(value) if value else None


def trust_root_paths() -> list[Path]:
    return [Path(p) for p in _setting("PHOIHOP_TRUST_ROOTS").split(os.pathsep) if p.strip()]


def tsa_url() -> str:
    return _setting("PHOIHOP_TSA_URL")


def demo_dir() -> Path:
    return Path(settings.VAR_DIR) / "signing" / "demo"


FONT_DIR = Path(__file__).resolve().parent / "fonts"
# DejaVu Serif Condensed (Bitstream Vera licence, fonts/LICENSE-DejaVu.txt): every Vietnamese letter, and close
# to Times New Roman's width, so a Decree-30 page holds what it would in Times.
FONT_REGULAR = FONT_DIR / "DejaVuSerifCondensed.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSerifCondensed-Bold.ttf"
FONT_ITALIC = FONT_DIR / "DejaVuSerifCondensed-Italic.ttf"
FONT_BOLD_ITALIC = FONT_DIR / "DejaVuSerifCondensed-BoldItalic.ttf"
