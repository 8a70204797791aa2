"""Domain data-read (tools.md §3): importing this package registers its read handlers."""

from artbattle_ops.tools.data_read import artist_lookup as artist_lookup
from artbattle_ops.tools.data_read import artworks as artworks
from artbattle_ops.tools.data_read import auction as auction
from artbattle_ops.tools.data_read import event_config as event_config
from artbattle_ops.tools.data_read import event_lookup as event_lookup
from artbattle_ops.tools.data_read import eventbrite as eventbrite
from artbattle_ops.tools.data_read import eventbrite_mapping as eventbrite_mapping
from artbattle_ops.tools.data_read import health_check as health_check
from artbattle_ops.tools.data_read import people_lookup as people_lookup
from artbattle_ops.tools.data_read import revenue as revenue
from artbattle_ops.tools.data_read import summary as summary
from artbattle_ops.tools.data_read import visibility as visibility
from artbattle_ops.tools.data_read import votes as votes
