"""A worker killed (SIGKILL) in the middle of a task: real `thedeal db_worker` processes.

On SQLite the workers share a database file of their own, migrated once for the module; on
PostgreSQL (CI's second pass) they use the test database, which is why the test is
transactional: the workers must see its rows, and it is emptied after each test.
"""

import shutil

import pytest
from django.db import connection

from tests.support.worker_kill import Scenario

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TASKS, KILL_IN = 12, 5


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite database with the tasks queued, copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    Scenario(folder=folder, database_url=f"sqlite:///{folder / 'workers.sqlite3'}",
             tasks=TASKS, kill_in=KILL_IN).prepare()  # fmt: skip
    return folder / "workers.sqlite3"


@pytest.fixture
def scenario(request, tmp_path):
    def make(where):
        if connection.vendor == "sqlite":
            database = tmp_path / "workers.sqlite3"
            shutil.copy(request.getfixturevalue("sqlite_template"), database)
            url, prepared = f"sqlite:///{database}", True
        else:
            db = connection.settings_dict
            user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
            url = f"postgres://{user}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
            prepared = False
        made = Scenario(folder=tmp_path, database_url=url, migrated=True, tasks=TASKS,
                        kill_in=KILL_IN, where=where)  # fmt: skip
        return made, prepared

    return make


@pytest.mark.parametrize("where", ["before-email", "after-email"])
def test_no_task_is_lost_and_no_email_sent_twice_when_a_worker_is_killed(scenario, where):
    killed, prepared = scenario(where)

    outcome = killed.run(give_up_after=60, prepared=prepared)

    log = killed.worker_log()
    assert (outcome.done, outcome.lost, outcome.failed) == (TASKS, 0, 0), log
    assert (outcome.sent_twice, outcome.never_sent) == (0, 0), log
    assert "which stopped: queued again" in log
