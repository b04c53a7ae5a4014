"""The machinery of prebuilt statements, shared by the repositories of every aggregate.

Statements every /learn runs are built once: building and hashing a statement cost more than running it. Those
on the tables run without the ORM (see _Read and _core); a status is compared with OR rather than IN, which
SQLAlchemy would render into the SQL again on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Executable, Result, ScalarSelect, Select, Table, func, or_, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ValuesBase

from store.models import Kudos, Match, Member, Need, Offer, Topic

_MEMBERS = cast(Table, Member.__table__)
_TOPICS = cast(Table, Topic.__table__)
_NEEDS = cast(Table, Need.__table__)
_OFFERS = cast(Table, Offer.__table__)
_MATCHES = cast(Table, Match.__table__)


def _core(session: Session, statement: Executable, params: dict[str, Any] | list[dict[str, Any]]) -> Result[Any]:
    """Run a prebuilt statement on the session's connection, after flushing what the session holds (as the ORM's
    autoflush would): rows as tuples, without the ORM's per-call work. A list of parameters runs it for each."""
    session.flush()
    return session.connection().execute(statement, params)


class _Read:
    """A prebuilt SELECT for the hottest reads, run on the DBAPI cursor of the session's connection (so inside its
    transaction): compiled once per backend, its parameters and columns converted by their types' own processors.
    SQLAlchemy's execution (context, events, result objects) cost several times the query itself on SQLite.

    Anything out of the ordinary (a dropped connection, a lock) runs the statement again the usual way, so errors
    are wrapped, and dead connections dropped from the pool, exactly as for every other statement.
    """

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._built: dict[str, _Compiled] = {}

    def rows(self, session: Session, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        session.flush()  # as the ORM's autoflush would
        connection = session.connection()
        compiled = self._built.get(connection.dialect.name) or self._compile(connection.dialect)
        values = compiled.values(params)
        try:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(compiled.sql, values)
                found = cursor.fetchall()
            finally:
                cursor.close()
        except Exception:
            return [tuple(row) for row in connection.execute(self.statement, params)]
        return compiled.convert(found)

    def first(self, session: Session, params: dict[str, Any]) -> tuple[Any, ...] | None:
        found = self.rows(session, params)
        return found[0] if found else None

    def _compile(self, dialect: Dialect) -> _Compiled:
        built = self._built[dialect.name] = _Compiled(self.statement, dialect)
        return built


class _Write:
    """A prebuilt INSERT that /learn runs (its need, a newcomer's row), one statement per backend (`build(dialect
    name)`): compiled once and run as the driver's SQL. It still goes through the connection, so the engine's
    events (SQLite's writer queue) and error handling are those of every statement; only the compiling, cache key
    and parameter processing SQLAlchemy does on each run are saved. RETURNING columns come back unconverted."""

    def __init__(self, build: Callable[[str], ValuesBase]) -> None:
        self._build = build
        self._built: dict[str, _Compiled] = {}

    def run(self, session: Session, params: dict[str, Any]) -> CursorResult[Any]:
        session.flush()  # as the ORM's autoflush would
        connection = session.connection()
        dialect = connection.dialect
        compiled = self._built.get(dialect.name)
        if compiled is None:
            compiled = self._built[dialect.name] = _Compiled(self._build(dialect.name), dialect)
        return connection.exec_driver_sql(compiled.sql, compiled.values(params))


class _Compiled:
    """A statement's SQL for one backend, and how its parameters and columns are converted."""

    def __init__(self, statement: Select[Any] | ValuesBase, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("IN lists are rendered at each run: write them as ORs")
        self.sql = compiled.string
        self._compiled = compiled
        self._order = compiled.positiontup if compiled.positional else None
        processors = {name: bind.type.bind_processor(dialect) for bind, name in compiled.bind_names.items()}
        self._binds = {name: processor for name, processor in processors.items() if processor is not None}
        # Each parameter's source, worked out once: SQLAlchemy's construct_params() walks every bind on every run
        # (its largest cost in a /learn), to the same answer: the caller's value, else the statement's own.
        plain = not compiled.escaped_bind_names and all(bind.callable is None for bind in compiled.bind_names)
        self._plan = (
            [(name, bind.key, bind.required, bind.value) for bind, name in compiled.bind_names.items()]
            if plain
            else None
        )
        columns = [column.type.result_processor(dialect, None) for column in statement.exported_columns]
        self._columns = [(place, processor) for place, processor in enumerate(columns) if processor is not None]

    def values(self, params: dict[str, Any]) -> Any:
        if self._plan is None:
            values = self._compiled.construct_params(params)
        else:
            values = {
                name: params[key] if required else params.get(key, value) for name, key, required, value in self._plan
            }
        for name, processor in self._binds.items():
            values[name] = processor(values[name])
        return values if self._order is None else tuple(values[name] for name in self._order)

    def convert(self, rows: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows with the values of typed columns (an enum, a boolean on SQLite, a datetime) converted."""
        if not self._columns:
            return list(rows)
        converted = []
        for row in rows:
            values = list(row)
            for place, processor in self._columns:
                if values[place] is not None:
                    values[place] = processor(values[place])
            converted.append(tuple(values))
        return converted


def _any_of(column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)` as ORs: an IN list is rendered into the SQL again on every run, ORs once."""
    return or_(*(column == value for value in values))


def _count(table: type[Match | Kudos], *where: ColumnElement[bool]) -> ScalarSelect[int]:
    """A count per expert row, correlated to the offer; each one reads an index."""
    return select(func.count()).select_from(table).where(*where).correlate(Offer).scalar_subquery()
