"""Domain growth-marketing (tools.md §6): importing this package registers its read handlers."""

from artbattle_ops.tools.growth_marketing import ads as ads
from artbattle_ops.tools.growth_marketing import audience as audience
from artbattle_ops.tools.growth_marketing import campaigns as campaigns
from artbattle_ops.tools.growth_marketing import conversation as conversation
from artbattle_ops.tools.growth_marketing import notifications as notifications
from artbattle_ops.tools.growth_marketing import offers as offers
from artbattle_ops.tools.growth_marketing import sponsorship as sponsorship
