"""Alembic environment: runs against the engine handed in by store.migrate."""

from alembic import context
from sqlalchemy import Engine, create_engine

from store.installations import INSTALL_METADATA
from store.models import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    # Invoked as plain `alembic -x url=...` by a developer writing a new revision.
    engine = create_engine(context.get_x_argument(as_dictionary=True).get("url", "sqlite:///peerlearn.db"))

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=[Base.metadata, INSTALL_METADATA],
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    context.run_migrations()
