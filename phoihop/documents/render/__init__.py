"""A document laid out after Decree 30/2020/NĐ-CP, Appendix I: to PDF (fpdf2) and to DOCX (python-docx)."""
