"""Aggregate roots: the consistency boundary that records what happened to it."""

from collections.abc import Hashable
from typing import ClassVar, TypeVar

from .entity import Entity
from .events import DomainEvent

IdT = TypeVar("IdT", bound=Hashable)


def _public_properties(kind: type) -> tuple[str, ...]:
    """The public properties ``kind`` adds to every aggregate's, sorted.

    Those of :class:`AggregateRoot` itself (``id``, ``pending_events``) cannot fail.
    """
    return tuple(
        name
        for name in sorted(set(dir(kind)) - set(dir(AggregateRoot)))
        if not name.startswith("_") and isinstance(getattr(kind, name), property)
    )


class AggregateRoot(Entity[IdT]):
    """The entry point of an aggregate.

    It records a domain event for every change; the unit of work hands them to their handlers
    once the change is committed. ``version`` counts committed changes and lets the
    repositories refuse a write based on a stale read (optimistic concurrency).

    Before a unit of work writes an aggregate it calls :meth:`check_invariants`: a change
    that would leave it unreadable is refused when it is made, never first when it is read.
    """

    #: The public properties :meth:`check_invariants` reads, found once, as the class is made.
    _checked_properties: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._checked_properties = _public_properties(cls)

    def __init__(self, entity_id: IdT, version: int = 0) -> None:
        super().__init__(entity_id)
        self.version = version
        self._events: list[DomainEvent] = []

    def check_invariants(self) -> None:
        """Raise a ``DomainError`` when the aggregate is not in a state it may be stored in.

        By default every public property is read once, so a derived value that cannot be
        computed (a total past the ``Money`` limit, say) refuses the change that caused it.
        Override it to add rules of the whole aggregate, calling ``super().check_invariants()``.
        """
        for name in self._checked_properties:
            getattr(self, name)

    def record(self, event: DomainEvent) -> None:
        """Remember that something happened, to be published after commit."""
        self._events.append(event)

    @property
    def pending_events(self) -> tuple[DomainEvent, ...]:
        """The events recorded since the last :meth:`pull_events`."""
        return tuple(self._events)

    def pull_events(self) -> list[DomainEvent]:
        """Hand over the recorded events and forget them."""
        events, self._events = self._events, []
        return events
