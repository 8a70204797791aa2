"""Domain platform-db-edge (tools.md §7): Slack queue, email delivery, RLS and live diagnostics.

Importing the package registers its read handlers.
"""

from artbattle_ops.tools.platform_db_edge import email, live_event, rls, slack_queue

__all__ = ["email", "live_event", "rls", "slack_queue"]
