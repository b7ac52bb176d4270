"""Domain events: facts, named in the past tense, that other parts may react to."""

from dataclasses import dataclass, field
from datetime import UTC, datetime


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened in the domain; immutable once recorded.

    Two events are equal when they tell the same facts: ``occurred_at`` says when, and takes
    no part in equality or hashing, so ``Shipped(order_id=x) == Shipped(order_id=x)``.
    """

    occurred_at: datetime = field(default_factory=_now, compare=False)
