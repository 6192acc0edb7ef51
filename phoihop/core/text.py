"""Text helpers shared by search and intake."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without Vietnamese diacritics: "Lừa đảo" -> "lua dao" (đ is a letter, not an accent)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
