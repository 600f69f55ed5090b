"""Alembic environment: driftbot passes its own connection in (see bot/storage)."""
from alembic import context

from bot.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` run by hand: use the URL from alembic.ini / -x url=...
    from sqlalchemy import create_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    connection = create_engine(url).connect()

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
