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

    def progress(self, at: datetime) -> float:
        """Share of the final sales reached at `at`: convex in time, 1 from the start on."""
        x = (at - self.opens) / (self.start - self.opens)
        return min(max(x, 0.0), 1.0) ** 2

    def classes_at(self, at: datetime) -> list[dict[str, Any]]:
        """The `ticket_classes` JSON at one instant; every quantity only ever grows."""
        progress = self.progress(at)
        status = "ENDED" if at >= self.start else "AVAILABLE"
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

    def daily(self, at: datetime) -> list[dict[str, Any]]:
        """The report's last few daily rows before `at`."""
        rows = []
        for back in range(4, -1, -1):
            day = at - timedelta(days=back)
            sold = sum(c["quantity_sold"] for c in self.classes_at(day))
            gross = sum(c["ticket_revenue"] for c in self.classes_at(day))
            rows.append({"date": day.date().isoformat(), "quantity": sold, "gross": f"{gross:.2f}"})
        return rows


def snapshot_times(
    as_of: datetime, e: Event, lead_days: float, rng: random.Random
) -> list[datetime]:
    """Fetch instants every 6 h ± 15 min (§8.10). Their number depends only on nominal days."""
    jitter = [rng.uniform(-900, 900) for _ in range(400)]
    age = -e.day_offset
    if e.phase == "past" and age >= 3:
        first = e.start - timedelta(days=lead_days)
        count = int((lead_days + 2) * 4)
        return [first + k * SIX_HOURS + timedelta(seconds=jitter[k % 400]) for k in range(count)]

    span_days = max(lead_days - e.day_offset, 2.0)
    end = as_of - timedelta(hours=rng.uniform(0.2, 5))
    if e.role == "stale_eventbrite_event":
        span_days = max(span_days - 3, 1.0)
        end = as_of - timedelta(days=3, minutes=rng.uniform(5, 50))
    count = int(span_days * 4)
    times = [end - k * SIX_HOURS + timedelta(seconds=jitter[k % 400] / 3) for k in range(count)]
    return sorted(times)
