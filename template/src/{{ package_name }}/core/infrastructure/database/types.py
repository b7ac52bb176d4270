"""Column types that keep a value exactly as the domain holds it, on every database."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Dialect, Numeric, String, TypeDecorator
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeEngine

#: Databases whose DATETIME keeps no time zone: a UTC wall-clock time is stored there.
_WITHOUT_TIME_ZONES = frozenset({"sqlite", "mysql", "mariadb"})


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC and read back aware, on every database.

    SQLite and MySQL drop the zone of ``DateTime(timezone=True)``; a naive value read from
    them would never compare equal to the aware one written, so every commit would rewrite it.
    MySQL and MariaDB also drop the microseconds unless the column asks for them (``fsp=6``).
    The migrations spell it ``sa.DateTime(timezone=True)`` with that MySQL variant.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[datetime]:
        """Microseconds on MySQL and MariaDB too."""
        if dialect.name in {"mysql", "mariadb"}:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(self.impl_instance)

    @property
    def python_type(self) -> type[datetime]:
        """The Python type of the values."""
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse a naive datetime; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            msg = f"a datetime to store needs a time zone, got {value.isoformat()}"
            raise ValueError(msg)
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name in _WITHOUT_TIME_ZONES else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """The stored time, aware, in UTC."""
        del dialect
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: The most digits of a decimal a float keeps exactly (C's DBL_DIG).
FLOAT_DIGITS = 15


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal of ``precision`` digits, ``scale`` of them after the point, kept exactly.

    PostgreSQL, MySQL and MariaDB store it as ``NUMERIC(precision, scale)``, and so does SQLite
    up to 15 digits. SQLite has no exact decimal type: its NUMERIC is a float, which keeps 15
    digits. A longer decimal is text there, of one width, that sorts as the numbers do (so
    ``ORDER BY``, ``=`` and ``<`` stay right): a number at or above zero zero-padded
    (``000000000000012.50`` for 12.5 in ``decimal(17, 2)``), a negative one as ``-`` and the
    nines' complement of those digits (``-999999999999987.49`` for -12.5), the more negative
    first. The migrations spell it ``sa.Numeric(precision, scale)``, longer ones with a
    ``sa.String()`` variant for SQLite.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision, scale)
        self.precision = precision
        self.scale = scale
        #: The digits SQLite's text holds: one before the point at least (``0.5``, not ``.5``).
        self._digits = max(precision, scale + 1)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Decimal] | TypeEngine[str]:
        """Text for more than 15 digits on SQLite, ``NUMERIC(precision, scale)`` elsewhere."""
        if self._as_text(dialect):
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(self.impl_instance)

    @property
    def python_type(self) -> type[Decimal]:
        """The Python type of the values."""
        return Decimal

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Decimal | str | None:
        """Refuse a value the column would round; on SQLite, the value's sortable text."""
        if value is None:
            return None
        units = self._units(Decimal(value))
        if not self._as_text(dialect):
            return value
        digits = f"{units if units >= 0 else 10**self._digits - 1 + units:0{self._digits}d}"
        point = self._digits - self.scale
        text = digits[:point] + (f".{digits[point:]}" if self.scale else "")
        return text if units >= 0 else f"-{text}"

    def process_result_value(self, value: Decimal | str | None, dialect: Dialect) -> Decimal | None:
        """The stored number, with ``scale`` digits after the point."""
        del dialect  # a number here is NUMERIC's, text is the sortable text of SQLite
        if value is None or isinstance(value, Decimal):
            return value
        units = int(value.removeprefix("-").replace(".", ""))
        if value.startswith("-"):
            units = units - 10**self._digits + 1
        digits = tuple(int(digit) for digit in str(abs(units)))
        return Decimal((int(units < 0), digits, -self.scale))

    def _as_text(self, dialect: Dialect) -> bool:
        """Whether the column is text: on SQLite, for more digits than a float keeps."""
        return dialect.name == "sqlite" and self.precision > FLOAT_DIGITS

    def _units(self, value: Decimal) -> int:
        """``value`` as a whole number of the column's smallest unit (``10 ** -scale``)."""
        if not value.is_finite():
            msg = f"decimal({self.precision}, {self.scale}) holds finite numbers, got {value}"
            raise ValueError(msg)
        sign, digits, exponent = value.as_tuple()
        number = int("".join(map(str, digits)))
        shift = int(exponent) + self.scale
        factor: int = 10 ** abs(shift)
        units, rest = (number * factor, 0) if shift >= 0 else divmod(number, factor)
        if rest or units >= 10**self.precision:
            msg = f"{value} does not fit decimal({self.precision}, {self.scale})"
            raise ValueError(msg)
        return -units if sign else units
