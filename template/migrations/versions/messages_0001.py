"""The core's message tables: the outbox, the inbox and the dead letters, on their own branch.

Revision ID: messages_0001
Revises:
Create Date: rendered by copier-ddd

Like each module, the core's messaging starts its own Alembic branch (labelled ``messages``);
``alembic upgrade heads`` applies it with the modules' branches.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "messages_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("messages",)
depends_on: str | Sequence[str] | None = None

OUTBOX = "messages_outbox"
INBOX = "messages_inbox"
DEAD_LETTERS = "messages_dead_letters"


def delivery_columns() -> list[sa.Column[object]]:
    """The columns of a delivery, shared by the outbox and the dead letters."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(OUTBOX, *delivery_columns(), sa.PrimaryKeyConstraint("id"))
    op.create_index(op.f(f"ix_{OUTBOX}_next_attempt_at"), OUTBOX, ["next_attempt_at"])
    op.create_table(
        INBOX,
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "message_id"),
    )
    op.create_table(
        DEAD_LETTERS,
        *delivery_columns(),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f(f"ix_{DEAD_LETTERS}_next_attempt_at"),
        DEAD_LETTERS,
        ["next_attempt_at"],
    )


def downgrade() -> None:
    """Drop them again."""
    op.drop_index(op.f(f"ix_{DEAD_LETTERS}_next_attempt_at"), table_name=DEAD_LETTERS)
    op.drop_table(DEAD_LETTERS)
    op.drop_table(INBOX)
    op.drop_index(op.f(f"ix_{OUTBOX}_next_attempt_at"), table_name=OUTBOX)
    op.drop_table(OUTBOX)
