"""The demo data set beyond accounts; each app contributes its part when it is installed."""

from django.apps import apps


def demo_data_ensure() -> str:
    """Create the demo reports (and cases) once; return a summary of what was created, or ""."""
    done = []
    if apps.is_installed("phoihop.intake"):
        from phoihop.intake.demo import demo_reports_ensure

        done.append(demo_reports_ensure())
    if apps.is_installed("phoihop.cases"):
        from phoihop.cases.demo import demo_cases_ensure

        done.append(demo_cases_ensure())
    return ", ".join(d for d in done if d)
