"""Pure policy decisions: roles, limits, the write gate, confirmations and redaction."""
