"""Demo data of the reporting cycle (filled in below)."""


def demo_reporting_ensure() -> str:
    return ""
