"""The use cases of this module: one small function per file, each one transaction."""

from .add_item import OrderItemInput, add_item
from .archive import archive_order
from .create import create_order
from .get import get_order
from .list_all import list_sales
from .place import place_order
from .rename import rename_order
from .views import (
    OrderItemView,
    OrderView,
    to_view,
)

__all__ = [
    "OrderItemInput",
    "OrderItemView",
    "OrderView",
    "add_item",
    "archive_order",
    "create_order",
    "get_order",
    "list_sales",
    "place_order",
    "rename_order",
    "to_view",
]
