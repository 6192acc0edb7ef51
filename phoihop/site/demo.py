"""The demo data set beyond accounts: the site composes what each app contributes."""

from phoihop.cases.demo import demo_cases_ensure
from phoihop.intake.demo import demo_reports_ensure


def demo_data_ensure() -> str:
    """Create the demo reports and cases once; return a summary of what was created, or ""."""
    done = [demo_reports_ensure(), demo_cases_ensure()]
    return ", ".join(d for d in done if d)
