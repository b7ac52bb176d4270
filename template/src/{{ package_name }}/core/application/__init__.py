"""The shared application layer: the unit of work port, its errors, paging and shared views."""

from .errors import ConcurrencyError, OperationalError, UnitOfWorkNotStartedError
from .paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, check_page
from .unit_of_work import EventHandler, EventHandlers, UnitOfWork, UnitOfWorkFactory
from .views import MoneyView, money_view

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "ConcurrencyError",
    "EventHandler",
    "EventHandlers",
    "MoneyView",
    "OperationalError",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UnitOfWorkNotStartedError",
    "check_page",
    "money_view",
]
