"""The SMS conversation fixture: six texts with +16175550142, ending in STOP (§8.16)."""

from __future__ import annotations

from datetime import timedelta

from artbattle_ops.demo.dataset import Row
from artbattle_ops.demo.generator.campaigns import SENDERS, outbound_row
from artbattle_ops.demo.generator.world import World

PHONE = "+16175550142"
THREAD = (
    ("out", 0, "Art Battle Boston is back next week! Tickets: https://artbattle.example/boston"),
    ("in", 55, "Who is this?"),
    ("out", 62, "This is Art Battle Boston! You signed up at one of our live painting nights."),
    ("in", 95, "Oh cool, when is the next one?"),
    ("out", 101, "The next Art Battle Boston is AB4003. See you there!"),
    ("in", 1560, "STOP"),
)


def conversation_rows(world: World, outbound: list[Row], inbound: list[Row]) -> None:
    """Append the thread. Its STOP is processed (the person is blocked) but not auto-replied,
    so that the STOP stays the last message of the thread."""
    from artbattle_ops.demo.generator.messaging import inbound_row

    ctx = world.ctx
    rng = ctx.stream("sms_inbound:conversation")
    sender = SENDERS["US"]
    start = ctx.as_of - timedelta(days=6, hours=3)
    for n, (direction, minute, body) in enumerate(THREAD):
        at = start + timedelta(minutes=minute)
        if direction == "out":
            outbound.append(
                outbound_row(
                    ctx.uid("sms_outbound", f"conversation:{n}"),
                    None,
                    PHONE,
                    sender,
                    body,
                    "delivered",
                    at,
                    rng,
                    {"type": "conversation"},
                )
            )
            continue
        row = inbound_row(world, f"conversation:{n}", PHONE, sender, body, at)
        inbound.append((*row[:10], False, True, row[12]))
