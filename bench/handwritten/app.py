"""The ``/sales`` routes of the generated example module, written by hand with FastAPI and
SQLAlchemy, as a careful person would without the generator: the yardstick of
``bench.http_bench``.

It serves the same routes on the same tables (``sales``, ``sales_items``) and sends the same
statements per request: the order and its items loaded with ``subqueryload``, only the changed
columns written, the root row's ``version`` checked by SQLAlchemy on every UPDATE (a stale
write answers 409). It validates what the generated service validates (the same pydantic
bodies, then names and descriptions trimmed and checked, at most 100 items of one currency,
archived orders refuse changes), refuses bodies over 64 KiB with 413, gives every request
an id (``X-Request-ID``, with the same middleware), and logs one line per change after it is
committed. It keeps no module system, unit of work, data mapper or identity map: each route
opens its session and reads and writes the rows itself.

Run: ``DATABASE_URL=sqlite:///sales.db uvicorn bench.handwritten.app:app``.
"""

import logging
import os
import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import DateTime, ForeignKey, Numeric, String, Uuid, create_engine, event, select
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
    subqueryload,
)
from sqlalchemy.orm.exc import StaleDataError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
MAX_ITEMS = 100
MAX_AMOUNT = Decimal("1e12")

logger = logging.getLogger("sales")


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The tables of this app."""


class ItemRow(Base):
    """One item of an order; ``position`` keeps the list's order."""

    __tablename__ = "sales_items"

    parent_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("sales.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]
    unit_price_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit_price_currency: Mapped[str] = mapped_column(String(3))


class OrderRow(Base):
    """An order; ``version`` is checked by SQLAlchemy on every UPDATE."""

    __tablename__ = "sales"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    items: Mapped[list[ItemRow]] = relationship(
        order_by=ItemRow.position, cascade="all, delete-orphan", lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


def _sqlite_foreign_keys(connection: DBAPIConnection, _: object) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///sales.db"))
if engine.dialect.name == "sqlite":
    event.listen(engine, "connect", _sqlite_foreign_keys)
Base.metadata.create_all(engine)
sessions = sessionmaker(engine, expire_on_commit=False)


class RefusedError(Exception):
    """A change the order's rules refuse: 409."""


class InvalidError(Exception):
    """A value the rules refuse: 422."""


def checked_text(what: str, text: str, max_length: int) -> str:
    """``text`` trimmed, refused when empty, too long or not one printable line."""
    text = text.strip()
    if not text:
        raise InvalidError(f"{what} must not be empty nor start or end with spaces")
    if len(text) > max_length:
        raise InvalidError(f"{what} must be at most {max_length} characters, got {len(text)}")
    if not text.isprintable():
        raise InvalidError(f"{what} must be printable text on one line")
    return text


def checked_price(amount: Decimal, currency: str) -> tuple[Decimal, str]:
    """A price's amount and currency code, refused like the generated ``Money`` refuses."""
    currency = currency.strip().upper()
    if not amount.is_finite() or not Decimal(0) <= amount < MAX_AMOUNT:
        raise InvalidError(f"amount must be between 0 and {MAX_AMOUNT:,.0f}, got {amount}")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidError(f"amount must have at most two decimals, got {amount}")
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise InvalidError(f"currency must be a three-letter code such as EUR, got {currency!r}")
    return amount, currency


class NameIn(BaseModel):
    """A name of 1 to 100 printable characters."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)


class ItemIn(BaseModel):
    """An item to append: what, how many, and the price of one."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=1, le=10_000)
    unit_price: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    currency: str = Field(default="EUR", min_length=3, max_length=3)


class CreatedId(BaseModel):
    """The id of what was just created."""

    id: uuid.UUID


class ItemPosition(BaseModel):
    """Where a new item landed in its list (0-based)."""

    position: int


class ItemOut(BaseModel):
    """One item, amounts as text."""

    description: str
    quantity: int
    unit_price: str
    currency: str
    subtotal: str


class OrderOut(BaseModel):
    """An order as the API shows it."""

    id: uuid.UUID
    name: str
    status: str
    items: list[ItemOut]
    total: str | None
    currency: str | None
    version: int


def load(db: Session, order_id: uuid.UUID) -> OrderRow:
    """The order with its items, or 404."""
    row = db.get(OrderRow, order_id, options=[subqueryload(OrderRow.items)])
    if row is None:
        raise HTTPException(HTTPStatus.NOT_FOUND, f"Order {order_id} was not found")
    return row


def commit(db: Session) -> None:
    """Commit; a write based on a stale read answers 409."""
    try:
        db.commit()
    except StaleDataError:
        db.rollback()
        raise RefusedError(
            "the order was changed by someone else meanwhile; read it again"
        ) from None


def to_out(row: OrderRow) -> OrderOut:
    """The answer for one order."""
    items = [
        ItemOut(
            description=item.description,
            quantity=item.quantity,
            unit_price=f"{item.unit_price_amount:.2f}",
            currency=item.unit_price_currency,
            subtotal=f"{item.unit_price_amount * item.quantity:.2f}",
        )
        for item in row.items
    ]
    total = sum((item.unit_price_amount * item.quantity for item in row.items), Decimal(0))
    return OrderOut(
        id=row.id,
        name=row.name,
        status=row.status,
        items=items,
        total=f"{total:.2f}" if items else None,
        currency=items[0].currency if items else None,
        version=row.version,
    )


def ensure_active(row: OrderRow, action: str) -> None:
    """Archived orders refuse every change."""
    if row.status == "archived":
        raise RefusedError(f"cannot {action} Order {row.id}: it is archived")


class BodyLimit:
    """413 for a body over ``MAX_BODY_BYTES``, declared or streamed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            too_large = JSONResponse(
                {"detail": f"the request body must be at most {MAX_BODY_BYTES} bytes"},
                status_code=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            )
            await too_large(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise HTTPException(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
            return message

        await self.app(scope, counted, send)


def sane_request_id(value: str) -> bool:
    """Keep an incoming X-Request-ID of 1 to 128 letters, digits and ``-._:``."""
    return SANE_REQUEST_ID.fullmatch(value) is not None


app = FastAPI(title="sales, by hand")
app.add_middleware(BodyLimit)
# Every request gets an id, echoed in X-Request-ID: the generated service has one too.
app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID", validator=sane_request_id)


@app.exception_handler(RefusedError)
def refused(_: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=HTTPStatus.CONFLICT)


@app.exception_handler(InvalidError)
def invalid(_: Request, error: Exception) -> JSONResponse:
    detail = [{"loc": ["body"], "msg": str(error), "type": "value_error"}]
    return JSONResponse({"detail": detail}, status_code=HTTPStatus.UNPROCESSABLE_ENTITY)


@app.exception_handler(RequestValidationError)
def unreadable(_: Request, error: Exception) -> JSONResponse:
    problems = error.errors() if isinstance(error, RequestValidationError) else []
    detail = [{"loc": list(p["loc"]), "msg": p["msg"], "type": p["type"]} for p in problems]
    return JSONResponse({"detail": detail}, status_code=HTTPStatus.UNPROCESSABLE_ENTITY)


@app.post("/sales", status_code=HTTPStatus.CREATED)
def create(body: NameIn) -> CreatedId:
    name = checked_text("a name", body.name, 100)
    row = OrderRow(id=uuid.uuid4(), name=name, status="active", items=[])
    with sessions() as db:
        db.add(row)
        commit(db)
    logger.info("OrderCreated(aggregate_id=%s, name=%r)", row.id, name)
    return CreatedId(id=row.id)


@app.get("/sales")
def list_all() -> list[OrderOut]:
    with sessions() as db:
        rows = db.scalars(
            select(OrderRow)
            .options(subqueryload(OrderRow.items))
            .order_by(OrderRow.created_at, OrderRow.id)
        )
        return [to_out(row) for row in rows]


@app.get("/sales/{order_id}")
def show(order_id: uuid.UUID) -> OrderOut:
    with sessions() as db:
        return to_out(load(db, order_id))


@app.post("/sales/{order_id}/rename", status_code=HTTPStatus.NO_CONTENT)
def rename(order_id: uuid.UUID, body: NameIn) -> None:
    name = checked_text("a name", body.name, 100)
    with sessions() as db:
        row = load(db, order_id)
        ensure_active(row, "rename")
        if row.name == name:
            return
        old, row.name, row.updated_at = row.name, name, utc_now()
        commit(db)
    logger.info("OrderRenamed(aggregate_id=%s, old_name=%r, new_name=%r)", order_id, old, name)


@app.post("/sales/{order_id}/archive", status_code=HTTPStatus.NO_CONTENT)
def archive(order_id: uuid.UUID) -> None:
    with sessions() as db:
        row = load(db, order_id)
        ensure_active(row, "archive")
        row.status, row.updated_at = "archived", utc_now()
        commit(db)
    logger.info("OrderArchived(aggregate_id=%s)", order_id)


@app.post("/sales/{order_id}/items", status_code=HTTPStatus.CREATED)
def add_item(order_id: uuid.UUID, body: ItemIn) -> ItemPosition:
    description = checked_text("a description", body.description, 200)
    amount, currency = checked_price(body.unit_price, body.currency)
    with sessions() as db:
        row = load(db, order_id)
        ensure_active(row, "add an item to")
        if len(row.items) >= MAX_ITEMS:
            raise RefusedError(f"Order {order_id} already has {MAX_ITEMS} items")
        if row.items and row.items[0].unit_price_currency != currency:
            raise RefusedError(
                f"items are priced in {row.items[0].unit_price_currency}; "
                f"an item in {currency} cannot be added"
            )
        position = len(row.items)
        row.items.append(
            ItemRow(
                position=position,
                description=description,
                quantity=body.quantity,
                unit_price_amount=amount,
                unit_price_currency=currency,
            )
        )
        # A new item changes the order: its root row is updated, so the version moves (and
        # is checked) even though only a child row was added.
        row.updated_at = utc_now()
        commit(db)
    logger.info("OrderItemAdded(aggregate_id=%s, position=%d)", order_id, position)
    return ItemPosition(position=position)
