"""Pages of the reporting cycle."""
