"""Entities: objects with an identity that outlives their state."""

from collections.abc import Hashable
from typing import Generic, TypeVar

IdT = TypeVar("IdT", bound=Hashable)


class Entity(Generic[IdT]):
    """An object defined by its identity: two entities are equal when their ids are."""

    def __init__(self, entity_id: IdT) -> None:
        self._id = entity_id

    @property
    def id(self) -> IdT:
        """The identity, fixed for the entity's whole life."""
        return self._id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entity):
            return NotImplemented
        return type(self) is type(other) and self._id == other.id

    def __hash__(self) -> int:
        return hash((type(self), self._id))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._id}>"
