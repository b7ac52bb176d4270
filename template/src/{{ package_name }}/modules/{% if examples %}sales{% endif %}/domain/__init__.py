"""The sales domain: pure Python, no framework and no I/O."""

from .errors import (
    OrderIsArchivedError,
    OrderIsEmptyError,
    OrderIsPlacedError,
    OrderMixedCurrenciesError,
    OrderTooManyItemsError,
)
from .events import (
    OrderArchived,
    OrderCreated,
    OrderItemAdded,
    OrderPlaced,
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
    "OrderIsEmptyError",
    "OrderIsPlacedError",
    "OrderItem",
    "OrderItemAdded",
    "OrderMixedCurrenciesError",
    "OrderName",
    "OrderPlaced",
    "OrderRenamed",
    "OrderRepository",
    "OrderStatus",
    "OrderTooManyItemsError",
]
