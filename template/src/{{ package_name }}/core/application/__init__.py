"""The shared application layer: the unit of work port and its errors."""

from .errors import ConcurrencyError, OperationalError, UnitOfWorkNotStartedError
from .unit_of_work import EventHandler, EventHandlers, UnitOfWork, UnitOfWorkFactory

__all__ = [
    "ConcurrencyError",
    "EventHandler",
    "EventHandlers",
    "OperationalError",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UnitOfWorkNotStartedError",
]
