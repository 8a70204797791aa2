"""Domain bot-observability (tools.md §8): the assistant's own sessions, executions and errors.

The tools read the `esbmcp_` tables (observability.md §2); their instants use the display zone.
Importing the package registers its read handlers.
"""

from artbattle_ops.tools.bot_observability import errors, sessions, tool_stats

__all__ = ["errors", "sessions", "tool_stats"]
