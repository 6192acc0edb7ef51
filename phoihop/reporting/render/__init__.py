"""What the reporting cycle's documents say: the text of a party's report and of an invitation, the consolidated
report as a DOCX (Decree-30 layout)."""
