"""Domain data-read (tools.md §3): importing this package registers its read handlers."""

from artbattle_ops.tools.data_read import event_lookup as event_lookup
from artbattle_ops.tools.data_read import summary as summary
