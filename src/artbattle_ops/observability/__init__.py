"""Logging setup, event catalogue and the observability writers."""
