"""The rules every field of a given type obeys, storage limits included.

Anything the domain accepts must be storable on every backend and read back unchanged, so
the limits of the databases are domain rules here: a 64-bit integer, a decimal's precision
and scale, text that PostgreSQL, MySQL and Oracle all keep as given, a timezone-aware moment
in the years every database stores. Each rule returns the value it accepted (a moment in
UTC) and raises ``ValidationError`` naming the field otherwise.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from .errors import ValidationError

EnumT = TypeVar("EnumT", bound=Enum)

MIN_INT = -(2**63)
MAX_INT = 2**63 - 1
#: TEXT on MySQL and MariaDB holds 65 535 bytes: the smallest long text of the backends.
MAX_TEXT_BYTES = 65_535
#: The years every backend stores in a date or a timestamp (MySQL: 1000 to 9999).
MIN_YEAR = 1000
MAX_YEAR = 9999


def _refuse(what: str, problem: str) -> ValidationError:
    return ValidationError(f"{what} {problem}")


def _storable(what: str, value: object, kind: str) -> str:
    if not isinstance(value, str):
        raise _refuse(what, f"must be {kind}, got {type(value).__name__}")
    if value == "":
        raise _refuse(what, "must not be empty (leave it out where it is optional)")
    if "\x00" in value:
        raise _refuse(what, "must not contain a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(what, "must be valid Unicode text") from None
    return value


def check_string(what: str, value: str, max_length: int) -> str:
    """One line of 1 to ``max_length`` printable characters, without surrounding spaces."""
    _storable(what, value, "text")
    if len(value) > max_length:
        raise _refuse(what, f"must be at most {max_length} characters, got {len(value)}")
    if not value.isprintable():
        raise _refuse(what, "must be printable text on one line")
    if value != value.strip():
        raise _refuse(what, "must not start or end with spaces")
    return value


def check_text(what: str, value: str) -> str:
    """Text of any number of lines, at most 65 535 bytes in UTF-8."""
    _storable(what, value, "text")
    size = len(value.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise _refuse(what, f"must be at most {MAX_TEXT_BYTES} bytes in UTF-8, got {size}")
    return value


def check_int(what: str, value: int) -> int:
    """A whole number that fits in 64 bits (signed)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _refuse(what, f"must be a whole number, got {type(value).__name__}")
    if not MIN_INT <= value <= MAX_INT:
        raise _refuse(what, f"must be between {MIN_INT} and {MAX_INT}, got {value}")
    return value


def check_decimal(what: str, value: Decimal, precision: int, scale: int) -> Decimal:
    """A finite decimal of at most ``precision`` digits, ``scale`` of them after the point."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise _refuse(what, f"must be a finite decimal number, got {value!r}")
    if _decimals(value) > scale:
        raise _refuse(what, f"must have at most {scale} decimals, got {value}")
    before_point = value.adjusted() + 1 if value else 0
    if before_point > precision - scale:
        limit = precision - scale
        raise _refuse(what, f"must have at most {limit} digits before the point, got {value}")
    return value


def _decimals(value: Decimal) -> int:
    """How many digits after the point matter (trailing zeros do not)."""
    _, digits, exponent = value.as_tuple()
    places = -int(exponent)
    for digit in reversed(digits):
        if places <= 0 or digit != 0:
            break
        places -= 1
    return max(places, 0)


def check_date(what: str, value: date) -> date:
    """A calendar day (not a moment) in the years 1000 to 9999."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _refuse(what, f"must be a date, got {type(value).__name__}")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise _refuse(what, f"must be in the years {MIN_YEAR} to {MAX_YEAR}, got {value}")
    return value


def check_datetime(what: str, value: datetime) -> datetime:
    """A timezone-aware moment in the years 1000 to 9999 (UTC), returned in UTC."""
    if not isinstance(value, datetime):
        raise _refuse(what, f"must be a date and time, got {type(value).__name__}")
    if value.utcoffset() is None:
        raise _refuse(what, f"must carry a timezone (e.g. 2024-05-01T12:00:00+00:00), got {value}")
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError:
        raise _refuse(what, f"must be in the years {MIN_YEAR} to {MAX_YEAR}, got {value}") from None
    if not MIN_YEAR <= in_utc.year <= MAX_YEAR:
        raise _refuse(what, f"must be in the years {MIN_YEAR} to {MAX_YEAR}, got {value}")
    return in_utc


def check_member(what: str, value: object, kind: type[EnumT]) -> EnumT:
    """One of the members of ``kind``, given as the member or as its value."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in kind)
        raise _refuse(what, f"must be one of {allowed}, got {value!r}") from None
