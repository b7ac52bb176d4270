"""The generic repository port: a collection of one kind of aggregate."""

from abc import ABC, abstractmethod
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from .aggregate import AggregateRoot

IdT = TypeVar("IdT", bound=Hashable)
AggregateT = TypeVar("AggregateT", bound=AggregateRoot[Any])


class Repository(ABC, Generic[AggregateT, IdT]):
    """Add, get, list (all, or a page) and remove aggregates as if they lived in memory.

    Every aggregate handed in or out is remembered in :attr:`seen`, so the unit of work can
    collect their events after commit. ``get`` raises ``NotFoundError`` instead of returning
    ``None``.
    """

    def __init__(self) -> None:
        self._seen: dict[IdT, AggregateT] = {}

    @property
    def seen(self) -> tuple[AggregateT, ...]:
        """Every aggregate this repository handed in or out during the unit of work."""
        return tuple(self._seen.values())

    def add(self, aggregate: AggregateT) -> None:
        """Add a new aggregate; it is stored when the unit of work commits."""
        self._add(aggregate)
        self._seen[aggregate.id] = aggregate

    def get(self, aggregate_id: IdT) -> AggregateT:
        """The aggregate with that id; raises ``NotFoundError`` when there is none."""
        aggregate = self._get(aggregate_id)
        self._seen[aggregate_id] = aggregate
        return aggregate

    def list_all(self) -> list[AggregateT]:
        """Every aggregate, oldest first."""
        return self._remember_all(self._list_all())

    def list_page(self, limit: int, offset: int = 0) -> list[AggregateT]:
        """At most ``limit`` aggregates in the order of :meth:`list_all`, skipping ``offset``.

        The order is stable (oldest first, the id breaking ties), so consecutive pages neither
        repeat nor skip an aggregate while nothing is added or removed.
        """
        if limit < 0 or offset < 0:
            msg = f"a page needs a limit and an offset of at least 0, got {limit} and {offset}"
            raise ValueError(msg)
        return self._remember_all(self._list_page(limit, offset))

    def remove(self, aggregate: AggregateT) -> None:
        """Remove an aggregate; it is deleted when the unit of work commits."""
        self._remove(aggregate)
        self._seen.pop(aggregate.id, None)

    @abstractmethod
    def _add(self, aggregate: AggregateT) -> None: ...

    @abstractmethod
    def _get(self, aggregate_id: IdT) -> AggregateT: ...

    @abstractmethod
    def _list_all(self) -> list[AggregateT]: ...

    @abstractmethod
    def _remove(self, aggregate: AggregateT) -> None: ...

    def _list_page(self, limit: int, offset: int) -> list[AggregateT]:
        """One page; adapters that can page in their storage override it."""
        return self._list_all()[offset : offset + limit]

    def _remember_all(self, aggregates: list[AggregateT]) -> list[AggregateT]:
        for aggregate in aggregates:
            self._seen[aggregate.id] = aggregate
        return aggregates
