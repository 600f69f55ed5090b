"""audit trail; reports' personal fields may be erased (retention)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:00:00
"""
from alembic import op
import sqlalchemy as sa

import bot.storage.tables

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'audit',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('at', bot.storage.tables.UTCDateTime(), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('outage_id', sa.Integer(), nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['outage_id'], ['outages.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_outage_id'), ['outage_id'], unique=False)

    # Nothing refers to reports, so SQLite's batch mode (copy, drop, rename) is safe here.
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.String(length=128), nullable=True)
        batch_op.alter_column('reporter_name', existing_type=sa.String(length=200), nullable=True)
        batch_op.alter_column('description', existing_type=sa.Text(), nullable=True)
        batch_op.add_column(sa.Column('erased_at', bot.storage.tables.UTCDateTime(), nullable=True))


def downgrade() -> None:
    # The personal fields stay nullable: an erased report has no name or description to give back.
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    op.drop_table('audit')
