"""Choosing tools for a question: the model loop and the offline router."""
