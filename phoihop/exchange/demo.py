"""Demo requests (filled in below)."""


def demo_requests() -> str:
    return ""
