"""How a serving process and its database are tuned: the WSGI module's collector, the planner's costs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.test_settings import PRODUCTION

ROOT = Path(__file__).resolve().parent.parent


def test_the_wsgi_module_freezes_the_loaded_code_and_collects_young_objects_less_often():
    script = "import gc, tracker.wsgi; print(gc.get_threshold()[0], gc.get_freeze_count() > 10000)"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**environment, **PRODUCTION}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["5000", "True"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_a_new_connection_to_the_migrated_database_plans_with_cheap_random_reads():
    # The database's settings apply to the connections made after the migration: open one.
    fresh = connection.get_new_connection(connection.get_connection_params())
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW random_page_cost")
            assert cursor.fetchone()[0] == "1.1"
    finally:
        fresh.close()
