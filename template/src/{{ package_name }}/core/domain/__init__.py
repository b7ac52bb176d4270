"""The shared domain kernel: pure Python, no framework and no I/O."""

from .aggregate import AggregateRoot
from .entity import Entity
from .errors import BusinessRuleError, DomainError, NotFoundError, ValidationError
from .events import DomainEvent
from .money import Money
from .repository import Repository
from .rules import (
    check_date,
    check_datetime,
    check_decimal,
    check_int,
    check_member,
    check_string,
    check_text,
)
from .value_object import ValueObject

__all__ = [
    "AggregateRoot",
    "BusinessRuleError",
    "DomainError",
    "DomainEvent",
    "Entity",
    "Money",
    "NotFoundError",
    "Repository",
    "ValidationError",
    "ValueObject",
    "check_date",
    "check_datetime",
    "check_decimal",
    "check_int",
    "check_member",
    "check_string",
    "check_text",
]
