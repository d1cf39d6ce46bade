"""Alembic owns the schema: the models and the migrations agree, and the chain runs both ways."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import service.models  # noqa: F401
from service.migrate import alembic_config
from tests.conftest import DB_KIND
from tests.dbutil import fresh_database


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == [], f"run an Alembic revision: models differ from migrations: {diff}"


def test_downgrade_to_base_and_up_again() -> None:
    with fresh_database(DB_KIND, "mig") as url:
        cfg = alembic_config(url)
        command.upgrade(cfg, "head")
        command.downgrade(cfg, "base")
        command.upgrade(cfg, "head")
