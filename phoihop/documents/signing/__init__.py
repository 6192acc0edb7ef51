"""PAdES signatures: the organisations' keys (PKCS#12 files, PKCS#11 tokens, the DEMO CA), signing and verifying."""
