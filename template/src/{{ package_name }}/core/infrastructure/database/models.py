"""Mixins shared by the ORM models: optimistic-lock version and timestamps."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class VersionedMixin:
    """A version column that SQLAlchemy checks on every UPDATE (optimistic concurrency).

    An UPDATE based on a stale read matches no row and fails, so no write is ever lost.
    """

    version: Mapped[int] = mapped_column(nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


class TimestampMixin:
    """When the row was created and last changed."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
