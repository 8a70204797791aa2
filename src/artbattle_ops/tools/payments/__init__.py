"""Domain payments (tools.md §5): importing this package registers its read handlers."""

from artbattle_ops.tools.payments import exchange_rates as exchange_rates
from artbattle_ops.tools.payments import health as health
from artbattle_ops.tools.payments import invitations as invitations
from artbattle_ops.tools.payments import ledger as ledger
from artbattle_ops.tools.payments import manual_requests as manual_requests
from artbattle_ops.tools.payments import owed as owed
from artbattle_ops.tools.payments import payment_reminder as payment_reminder
from artbattle_ops.tools.payments import process_payment as process_payment
from artbattle_ops.tools.payments import stripe_status as stripe_status
