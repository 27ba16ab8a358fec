"""Migrations: they build the schema the models describe, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, Table, inspect

from storage.migrate import current_revision, head_revision, is_up_to_date, upgrade
from storage.tables import metadata


def _diff(engine: Engine, target: MetaData) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, target))


def test_a_migrated_database_is_at_head(database_url: str) -> None:
    assert current_revision(database_url) == head_revision()
    assert is_up_to_date(database_url)


def test_upgrading_twice_changes_nothing(database_url: str, engine: Engine) -> None:
    before = sorted(inspect(engine).get_table_names())
    upgrade(database_url)
    assert sorted(inspect(engine).get_table_names()) == before
    assert "incident" in before
    assert "skm_response" in before


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    assert _diff(engine, metadata) == []


def test_the_drift_check_notices_a_column_missing_from_the_migrations(engine: Engine) -> None:
    # Same metadata plus one column the migrations never created: the check must see it.
    drifted = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(drifted)
    extra = drifted.tables["desa"]
    assert isinstance(extra, Table)
    extra.append_column(Column("luas_km2", Integer, nullable=True))
    differences = _diff(engine, drifted)
    assert any("luas_km2" in repr(d) for d in differences)


def test_skm_responses_have_no_column_for_a_telegram_id(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("skm_response")}
    assert not any("telegram" in name or "user" in name for name in columns)
