"""Aggregate roots: the consistency boundary that records what happened to it."""

from collections.abc import Hashable
from typing import TypeVar

from .entity import Entity
from .events import DomainEvent

IdT = TypeVar("IdT", bound=Hashable)


class AggregateRoot(Entity[IdT]):
    """The entry point of an aggregate.

    It records a domain event for every change; the unit of work hands them to their handlers
    once the change is committed. ``version`` counts committed changes and lets the
    repositories refuse a write based on a stale read (optimistic concurrency).
    """

    def __init__(self, entity_id: IdT, version: int = 0) -> None:
        super().__init__(entity_id)
        self.version = version
        self._events: list[DomainEvent] = []

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
