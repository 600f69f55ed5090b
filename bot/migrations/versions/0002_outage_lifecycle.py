"""outage lifecycle: outbox leases and expiry, split outages, one open outage per system

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 08:00:00
"""
from alembic import op
import sqlalchemy as sa

import bot.storage.tables

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_OPEN_MAIN = "state IN ('suspected', 'confirmed') AND split_from IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', bot.storage.tables.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', bot.storage.tables.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=64), nullable=True))

    if op.get_bind().dialect.name == "sqlite":
        # SQLite accepts ADD COLUMN with a REFERENCES clause for a nullable
        # column; Alembic does not emit it, and its batch mode would copy and
        # drop a table that reports and notices refer to.
        op.execute("ALTER TABLE outages ADD COLUMN split_from INTEGER REFERENCES outages (id)")
    else:
        op.add_column('outages', sa.Column('split_from', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_outages_split_from', 'outages', 'outages', ['split_from'], ['id'])

    op.create_index('uq_outages_one_open_per_system', 'outages', ['system'], unique=True,
                    sqlite_where=sa.text(_OPEN_MAIN), postgresql_where=sa.text(_OPEN_MAIN))


def downgrade() -> None:
    op.drop_index('uq_outages_one_open_per_system', table_name='outages')
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE outages DROP COLUMN split_from")
    else:
        op.drop_constraint('fk_outages_split_from', 'outages', type_='foreignkey')
        op.drop_column('outages', 'split_from')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_column('claim_token')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('expires_at')
