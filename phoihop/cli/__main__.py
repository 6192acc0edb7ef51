"""`python -m phoihop.cli ...`, as the `phoihop` command."""

from . import main

main()
