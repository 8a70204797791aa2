"""Ticket sales of one event as Eventbrite reports them over time: classes, ramp and fees."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from artbattle_ops.demo.generator.events import Event

SIX_HOURS = timedelta(hours=6)
SALES_OPEN_DAYS = 35
CLASSES = (("Early Bird", 25, 30, 0.25), ("General Admission", 30, 38, 0.6), ("VIP", 40, 45, 0.15))
THB_FACTOR = 20


@dataclass(frozen=True)
class SalesCurve:
    """Final sales per ticket class, reached along a convex ramp up to the start."""

    start: datetime
    opens: datetime
    final: int
    classes: tuple[tuple[str, int, float, int], ...]
    fee_rate: Decimal

    @classmethod
    def draw(cls, rng: random.Random, e: Event) -> SalesCurve:
        """Draw an event's ticket classes, final count and fee rate."""
        final = round(rng.triangular(21, 249, 70))
        chosen = (
            CLASSES if rng.random() < 0.5 else CLASSES[1:] if rng.random() < 0.5 else (CLASSES[:2])
        )
        total_share = sum(c[3] for c in chosen)
        factor = THB_FACTOR if e.currency == "THB" else 1
        classes = tuple(
            (
                name,
                rng.randint(low, high) * factor,
                share / total_share,
                math.ceil(final * share / total_share * rng.uniform(1.05, 1.5)),
            )
            for name, low, high, share in chosen
        )
        fee_rate = Decimal(str(round(rng.uniform(0.08, 0.11), 4)))
        opens = e.start - timedelta(days=SALES_OPEN_DAYS)
        return cls(e.start, opens, final, classes, fee_rate)

    def progress(self, hours_before: float) -> float:
        """Share of the final sales reached `hours_before` the start: convex, 1 from it on."""
        x = 1 - hours_before / (SALES_OPEN_DAYS * 24)
        return min(max(x, 0.0), 1.0) ** 2

    def classes_at(self, hours_before: float) -> list[dict[str, Any]]:
        """The `ticket_classes` JSON `hours_before` the start; quantities only ever grow."""
        progress = self.progress(hours_before)
        status = "ENDED" if hours_before <= 0 else "AVAILABLE"
        rows = []
        for name, price, share, total in self.classes:
            sold = math.floor(self.final * share * progress)
            rows.append(
                {
                    "name": name,
                    "price": price,
                    "quantity_sold": sold,
                    "quantity_total": total,
                    "ticket_revenue": sold * price,
                    "on_sale_status": status,
                }
            )
        return rows

    def daily(self, at: datetime, hours_before: float) -> list[dict[str, Any]]:
        """The report's last few daily rows up to the fetch at `at`."""
        rows = []
        for back in range(4, -1, -1):
            classes = self.classes_at(hours_before + 24 * back)
            rows.append(
                {
                    "date": (at - timedelta(days=back)).date().isoformat(),
                    "quantity": sum(c["quantity_sold"] for c in classes),
                    "gross": f"{sum(c['ticket_revenue'] for c in classes):.2f}",
                }
            )
        return rows


def snapshot_times(
    as_of: datetime, e: Event, lead_days: float, rng: random.Random
) -> list[tuple[datetime, float]]:
    """Fetches every 6 h ± 15 min (§8.10), each with its hours before the start. The count
    and the hours depend only on nominal days, so sales figures do not move with as_of."""
    jitter = [rng.uniform(-900, 900) for _ in range(400)]
    age = -e.day_offset
    if e.phase == "past" and age >= 3:
        first = e.start - timedelta(days=lead_days)
        count = int((lead_days + 2) * 4)
        times = [first + k * SIX_HOURS + timedelta(seconds=jitter[k % 400]) for k in range(count)]
        return [(t, (e.start - t).total_seconds() / 3600) for t in times]

    span_days = max(lead_days - e.day_offset, 2.0)
    back_hours = rng.uniform(0.2, 5)
    if e.role == "stale_eventbrite_event":
        span_days = max(span_days - 3, 1.0)
        back_hours = 72 + rng.uniform(0.1, 0.8)
    snapshots = []
    for k in range(int(span_days * 4)):
        hours = back_hours + 6 * k - jitter[k % 400] / 10800
        snapshots.append((as_of - timedelta(hours=hours), 24 * e.day_offset + hours))
    return sorted(snapshots)
