"""Column types that keep a value exactly as the domain holds it, on every database."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, TypeDecorator
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
