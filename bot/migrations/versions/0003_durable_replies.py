"""durable replies: an outbox row may belong to a conversation, delivered in order within it

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation', sa.String(length=300), nullable=True))
        batch_op.create_index('ix_notices_conversation', ['conversation'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_conversation')
        batch_op.drop_column('conversation')
