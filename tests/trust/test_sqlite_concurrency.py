"""SQLite under concurrent writes (issue 12.12): with the settings' options, 20 simultaneous
course posts and 10 simultaneous survey submits on a file-based SQLite database all succeed,
where the defaults answered "database is locked". Each thread has its own connection (as each
request of a threaded server has) and runs the pattern of a write path: read, then write, in one
transaction, all threads starting at once."""

import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from kkr_portal.settings import SQLITE_OPTIONS


def connect(path, options):
    return DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias=ALIAS,
    )


ALIAS = "sqlite-file"


@pytest.fixture(autouse=True)
def _own_database(django_db_blocker):
    """These tests use their own file database, not the test database."""
    with django_db_blocker.unblock():
        yield


def hammer(path, options, writers: int) -> list[str]:
    setup = connect(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS course (id INTEGER PRIMARY KEY, ordinal INTEGER)")
    setup.close()
    start = threading.Barrier(writers)
    errors: list[str] = []

    def post():
        # Django's connections are per thread: this thread's ALIAS is its own connection.
        connection = connections[ALIAS] = connect(path, options)
        start.wait()
        try:
            with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(ordinal), 0) FROM course")
                (last,) = cursor.fetchone()
                threading.Event().wait(0.01)  # the rules run between the read and the write
                cursor.execute("INSERT INTO course (ordinal) VALUES (%s)", [last + 1])
        except OperationalError as exc:
            errors.append(str(exc))
        finally:
            connection.close()
            del connections[ALIAS]

    threads = [threading.Thread(target=post) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_the_embedded_default_uses_the_options():
    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE" and "WAL" in SQLITE_OPTIONS["init_command"]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize("writers", [20, 10], ids=["20 course posts", "10 survey submits"])
def test_simultaneous_writes_on_file_sqlite_all_succeed(tmp_path, writers):
    path = tmp_path / "db.sqlite3"
    assert hammer(path, SQLITE_OPTIONS, writers) == []
    check = connect(path, SQLITE_OPTIONS)
    with check.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT ordinal) FROM course")
        assert cursor.fetchone() == (writers, writers)  # every write kept, no ordinal handed out twice
    check.close()


def test_the_defaults_did_fail(tmp_path):
    """The same load with Django's defaults (deferred transactions): some writers fail."""
    assert hammer(tmp_path / "db.sqlite3", {}, 20) != []
