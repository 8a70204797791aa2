"""Typed settings per process: the only code that reads the environment."""
