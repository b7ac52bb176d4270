"""The sales domain: pure Python, no framework and no I/O."""

from .errors import (
    OrderIsArchivedError,
    OrderMixedCurrenciesError,
    OrderTooManyItemsError,
)
from .events import (
    OrderArchived,
    OrderCreated,
    OrderItemAdded,
    OrderRenamed,
)
from .model import (
    Order,
    OrderId,
    OrderItem,
    OrderName,
    OrderStatus,
)
from .repository import OrderRepository

__all__ = [
    "Order",
    "OrderArchived",
    "OrderCreated",
    "OrderId",
    "OrderIsArchivedError",
    "OrderItem",
    "OrderItemAdded",
    "OrderMixedCurrenciesError",
    "OrderName",
    "OrderRenamed",
    "OrderRepository",
    "OrderStatus",
    "OrderTooManyItemsError",
]
