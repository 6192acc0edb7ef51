"""The demo data set beyond accounts: the site composes what each app contributes."""

from phoihop.cases.demo import demo_cases_ensure
from phoihop.core.registry import DEMO_DATA_HOOK, run_hook
from phoihop.intake.demo import demo_reports_ensure


def demo_data_ensure() -> str:
    """Create the demo reports, cases and each app's demo data once; return a summary, or ""."""
    done = [demo_reports_ensure(), demo_cases_ensure(), *run_hook(DEMO_DATA_HOOK)]
    return ", ".join(d for d in done if d)
