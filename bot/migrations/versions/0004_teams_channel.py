"""teams: broadcast channels besides Slack's, their outage posts, and stored conversation references

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 12:00:00
"""
from alembic import op
import sqlalchemy as sa

import bot.storage.tables

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'broadcast_channels',
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('registered_at', bot.storage.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('channel'),
    )
    op.create_table(
        'outage_posts',
        sa.Column('outage_id', sa.Integer(), nullable=False),
        sa.Column('target', sa.String(length=64), nullable=False),
        sa.Column('ref', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['outage_id'], ['outages.id']),
        sa.PrimaryKeyConstraint('outage_id', 'target'),
    )
    op.create_table(
        'conversation_refs',
        sa.Column('key', sa.String(length=300), nullable=False),
        sa.Column('ref', sa.JSON(), nullable=False),
        sa.Column('updated_at', bot.storage.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    op.drop_table('conversation_refs')
    op.drop_table('outage_posts')
    op.drop_table('broadcast_channels')
