from alembic import command
from sqlalchemy import Engine, inspect

from store.migrate import alembic_config, upgrade
from store.models import Base


def test_migrations_match_the_models(engine: Engine) -> None:
    """The checked-in revisions create exactly what the models declare (alembic check finds nothing to add)."""
    command.check(alembic_config(engine))
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    command.check(alembic_config(engine))
