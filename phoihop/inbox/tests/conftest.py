# The notices app's people fixtures, for the tests of the outbox that rings their bells.
from phoihop.notices.tests.conftest import alice, bob, make_person  # noqa: F401
