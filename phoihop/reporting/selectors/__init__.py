"""Reads of the reporting cycle that need thought: the figures of a report, the state of a period."""
