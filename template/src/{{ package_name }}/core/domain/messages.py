"""Commands and integration events: the messages the message bus carries besides domain events.

A **command** asks one handler to do something (``PlaceOrder``); it may be refused. An
**integration event** tells other modules that something happened in a module (``OrderPlaced``);
it is part of that module's public ``contracts`` package, travels through the outbox (and the
broker, when there is one) and must therefore be plain data: a frozen dataclass of simple values
(text, numbers, decimals, ids, dates, enums, tuples and nested frozen dataclasses of those),
with a stable ``name`` and a ``version`` of its own.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID, uuid4


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Command:
    """A request to change the system, handled by exactly one handler."""


@dataclass(frozen=True, kw_only=True)
class IntegrationEvent:
    """A fact another module may hear, delivered at least once through the outbox.

    Subclasses set ``name`` (stable on the wire: ``"orders.order_placed"``) and ``version``
    (raise it, in a new class, when the fields change incompatibly). ``message_id`` identifies
    this one message: consumers remember it in their inbox and apply a redelivery only once.
    Two events with the same fields are equal whatever their ids and times.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1

    message_id: UUID = field(default_factory=uuid4, compare=False)
    occurred_at: datetime = field(default_factory=_now, compare=False)

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        if not isinstance(cls.__dict__.get("name"), str) or not cls.__dict__["name"]:
            msg = f'{cls.__qualname__} must set `name: ClassVar[str] = "module.event_name"`'
            raise TypeError(msg)
