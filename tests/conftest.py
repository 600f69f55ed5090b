import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent))

import pytest


@pytest.fixture
def fake_slack():
    from fakeslack import FakeSlack

    fake = FakeSlack().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="session")
def content():
    from bot.content import load_content

    return load_content()


@pytest.fixture(scope="session")
def classifier(content):
    from bot.runtime import build_classifier

    return build_classifier(content)


# -- databases ------------------------------------------------------------------
# Storage tests run on SQLite always and on PostgreSQL when
# DRIFTBOT_TEST_POSTGRES_URL names a server (.ci/run starts one). With CI=true a
# missing server is an error, never a skip.

import os
import uuid

POSTGRES_HINT = ("PostgreSQL tests skipped: set DRIFTBOT_TEST_POSTGRES_URL=postgresql+psycopg://USER@127.0.0.1:PORT/DB "
                 "(see .ci/run for how CI starts a server)")


def postgres_base_url() -> str | None:
    url = os.environ.get("DRIFTBOT_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but DRIFTBOT_TEST_POSTGRES_URL is not set: the PostgreSQL tests must run in CI")
        pytest.skip(POSTGRES_HINT)
    return url


def fresh_postgres_database() -> str:
    """A new, empty database on the test server; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(postgres_base_url())
    name = "driftbot_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Each storage test runs once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/driftbot.db"
    return fresh_postgres_database()


@pytest.fixture
def postgres_url() -> str:
    return fresh_postgres_database()


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of the built-in content folder, to break or swap in tests."""
    import shutil

    from bot.content import BUILTIN_CONTENT_DIR

    target = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target
