import copy
import datetime
import json
import shutil
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import serializers
from django.core.cache import cache

from cities.models import Jurisdiction
from tests import factories as f

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the ORM calls in the test body are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    """The reference data (fixtures/), loaded once for the module that asks for it, then taken out again.

    Loading validates and records every row (seconds); each test still runs in
    its own transaction on top, rolled back after it. Only tables that were
    empty before are emptied after, so the migrations' own rows (the editors
    group, the court directory) stay.
    """
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    with django_db_blocker.unblock():
        empty = [
            model._meta.db_table
            for label in ("tracker", "cities", "letters")
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not model._default_manager.exists()
        ]
        call_command("load_reference_data", verbosity=0)
    yield
    with django_db_blocker.unblock():
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), empty, allow_cascade=True))


# The longest files, started first so that no process is left running one alone at the end (pytest-xdist's
# worksteal hands each process its share in this order; loadfile would send the fuzz's one test last).
LONGEST_FIRST = ("test_fuzz_schema.py", "test_hostile_bodies.py", "test_hostile_input.py")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in LONGEST_FIRST)  # stable: pytest-django's order otherwise


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the migrations' own rows too (the court
    directory, the editors group). Alone, pytest-django runs those tests last; under pytest-xdist a
    worker may run other files after them, so once its fixtures are torn down (the emptying is the
    last of them), the rows the migrations made are put back. Not after the last test: by then the
    session's teardown has dropped the test databases, and a flush would empty the real ones."""
    result = yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(
        item.fixturenames
    )
    # After the session's last test the test databases are gone, and the connections name the real ones.
    if transactional and nextitem is not None:
        from django.core.management import call_command
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all(initialized_only=True):
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    # Emptied again without post_migrate (content types made anew), then restored as migrated;
                    # the sequences go on (world's rows, copied with their ids, are below them).
                    flush = {"interactive": False, "allow_cascade": True, "inhibit_post_migrate": True}
                    flush["reset_sequences"] = False
                    call_command("flush", database=connection.alias, verbosity=0, **flush)
                    connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture
def loaded(reference_data, db):
    """The reference data, loaded once for the module (``reference_data``), for a test that only reads it."""


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_sqlite():
    """The live server answers one request at a time on SQLite: there its request threads would share the test's
    in-memory connection, and a page that loads its pictures at once (six SVGs) used it from several threads
    together and hung a CI run. Django's single-threaded server closes each connection after its answer."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)  # the server's own thread already uses the test's connection

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneAtATime


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """New passwords hashed with MD5 in tests (PBKDF2's rounds cost a tenth of a second per user made);
    the production hashers still check any hash they made."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def world_rows(django_db_setup, django_db_blocker):
    """``world`` built once per session (first, on empty tables), read back row by row, and rolled back.

    Built by the factories with every save, signal and history record, as an editor would make it; each
    test that asks for ``world`` then gets the same rows back in one insert per table (tens of
    milliseconds, where building it took hundreds), inside its own transaction.
    """
    from django.db import transaction

    models = [
        model for label in WORLD_APPS for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        named = build_world()
        rows = {model: [row for row in model._base_manager.all() if row.pk not in before[model]] for model in models}
        transaction.set_rollback(True)
    return {model: objects for model, objects in rows.items() if objects}, named


@pytest.fixture
def world(db, world_rows):
    """A small, fixed slice of the record that every API test can read."""
    rows, named = world_rows
    for model, objects in rows.items():
        # As loaddata writes (raw): bulk_create would stamp created_at and updated_at anew.
        model._base_manager._insert(objects, fields=model._meta.local_concrete_fields, raw=True)
    return copy.deepcopy(named)


WORLD_APPS = ("tracker", "cities", "letters")


def build_world() -> dict:
    illinois = f.JurisdictionFactory(slug="illinois", name="State of Illinois", kind=Jurisdiction.Kind.STATE, fips="17")
    california = f.JurisdictionFactory(
        slug="california", name="State of California", kind=Jurisdiction.Kind.STATE, state="CA", fips="06"
    )
    chicago = f.JurisdictionFactory(
        slug="chicago-il", name="City of Chicago", parent=illinois, population=2_746_388, population_year=2020
    )
    cook = f.JurisdictionFactory(
        slug="cook-county-il", name="Cook County", kind=Jurisdiction.Kind.COUNTY, parent=illinois, fips="17031"
    )
    san_francisco = f.JurisdictionFactory(
        slug="san-francisco-ca",
        name="City and County of San Francisco",
        kind=Jurisdiction.Kind.CONSOLIDATED,
        state="CA",
        parent=california,
        population=873_965,
        population_year=2020,
    )
    april = f.LetterFactory(
        slug="2017-04-21-letters",
        sent_on=datetime.date(2017, 4, 21),
        kind="compliance_validation",
        subject="Validate compliance with 8 U.S.C. 1373",
        response_due=datetime.date(2017, 6, 30),
    )
    january = f.LetterFactory(
        slug="2018-01-24-demands",
        sent_on=datetime.date(2018, 1, 24),
        kind="document_demand",
        subject="Document demand with subpoena threat",
        summary="Produce documents or face a subpoena.",
        response_due=datetime.date(2018, 2, 23),
    )
    f.LetterRecipientFactory(letter=april, jurisdiction=chicago, determination="non_compliant")
    f.LetterRecipientFactory(letter=january, jurisdiction=chicago)
    f.LetterRecipientFactory(letter=january, jurisdiction=california)
    f.GrantAwardFactory(jurisdiction=chicago, fiscal_year=2017, amount=Decimal("2019194.00"), status="withheld")
    f.GrantAwardFactory(jurisdiction=san_francisco, fiscal_year=2017, amount=Decimal("524845.00"), status="withheld")
    f.GrantAwardFactory(
        jurisdiction=california, program="cops", fiscal_year=2018, amount=Decimal("17701281.00"), status="awarded"
    )
    district = f.CourtCaseFactory(
        slug="chicago-v-sessions-ilnd",
        caption="City of Chicago v. Sessions",
        court="ilnd",
        docket_number="1:17-cv-05720",
        filed_on=datetime.date(2017, 8, 7),
    )
    appeal = f.CourtCaseFactory(
        slug="chicago-v-sessions-ca7",
        caption="City of Chicago v. Sessions",
        court="ca7",
        docket_number="17-2991",
        filed_on=datetime.date(2017, 9, 26),
        appeal_of=district,
    )
    sf_case = f.CourtCaseFactory(
        slug="sf-v-sessions-cand",
        caption="City and County of San Francisco v. Sessions",
        court="cand",
        docket_number="3:17-cv-04642",
        filed_on=datetime.date(2017, 8, 11),
    )
    f.CasePartyFactory(case=district, jurisdiction=chicago)
    f.CasePartyFactory(case=appeal, jurisdiction=chicago, role="appellee")
    f.CasePartyFactory(case=sf_case, jurisdiction=san_francisco)
    f.RulingFactory(slug="ilnd-pi", case=district, decided_on=datetime.date(2017, 9, 15), judge="Leinenweber")
    f.RulingFactory(
        slug="ca7-affirmed",
        case=appeal,
        decided_on=datetime.date(2018, 4, 19),
        kind="appellate_opinion",
        judge="Rovner",
        citation="888 F.3d 272",
    )
    f.RulingFactory(
        slug="cand-sj",
        case=sf_case,
        decided_on=datetime.date(2018, 10, 5),
        kind="summary_judgment",
        judge="Orrick",
        outcome="for_jurisdiction",
        scope="nationwide",
    )
    meeting = f.EventFactory(slug="2018-01-24-meeting", title="White House meeting with mayors")
    meeting.jurisdictions.set([chicago])
    f.EventParticipantFactory(event=meeting, name="Rahm Emanuel", jurisdiction=chicago, participation="declined")
    f.EventFactory(
        slug="eo-14159", date=datetime.date(2025, 1, 20), kind="executive_order", title="Executive Order 14159"
    )
    oig = f.DesignationListFactory(
        slug="doj-oig-2016", title="OIG memorandum", published_on=datetime.date(2016, 5, 31), authority="DOJ OIG"
    )
    doj = f.DesignationListFactory(slug="doj-2025-08", title="DOJ list", published_on=datetime.date(2025, 8, 5))
    f.DesignationFactory(designation_list=oig, jurisdiction=chicago)
    f.DesignationFactory(designation_list=doj, jurisdiction=chicago, disputed=True, response="We follow the law.")
    f.DesignationFactory(designation_list=doj, jurisdiction=cook, removed_on=datetime.date(2025, 9, 1))
    f.OfficialFactory(
        slug="rahm-emanuel",
        jurisdiction=chicago,
        name="Rahm Emanuel",
        term_start=datetime.date(2011, 5, 16),
        term_end=datetime.date(2019, 5, 20),
    )
    f.OfficialFactory(
        slug="lori-lightfoot", jurisdiction=chicago, name="Lori Lightfoot", term_start=datetime.date(2019, 5, 20)
    )
    f.PolicyFactory(
        slug="welcoming-city-ordinance",
        jurisdiction=chicago,
        title="Welcoming City Ordinance",
        enacted_on=datetime.date(2012, 9, 12),
    )
    return {"chicago": chicago, "cook": cook, "california": california, "illinois": illinois, "sf": san_francisco}


def rows(apps_labels=("tracker", "cities", "letters")) -> list[str]:
    """Every row of the tracker, history included, named by natural key where it has one."""
    objects = [
        obj for label in apps_labels for model in apps.get_app_config(label).get_models() for obj in model.objects.all()
    ]
    data = serializers.serialize("json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True)
    return sorted(json.dumps(row, sort_keys=True) for row in json.loads(data))


def iso(moment: datetime.datetime) -> str:
    """A datetime as the API writes it."""
    return moment.isoformat().replace("+00:00", "Z")


def brief(source) -> dict:
    """A source as every record lists it."""
    return {
        "id": source.pk,
        "link": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "kind": source.kind,
        "provenance": source.provenance,
    }


def slugs(response, key="slug"):
    """The keys of a list response's rows, in order."""
    return [row[key] for row in response.json()["results"]]


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("editor", password="correct horse battery staple", is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


def sign_in(client, user):
    """Sign ``user`` in to the admin as if with their password and a token from their authenticator app."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Authenticator app")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, past the second factor too."""
    return sign_in(client, admin_user)


@pytest.fixture
def editor_client(editor):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


@pytest.fixture
def checker(db):
    """A second editor: checks and publishes what ``editor`` wrote."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("checker", is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


def publish(checker, model, **fields):
    """``checker`` checks and publishes the pending revision of the ``model`` record whose values include
    ``fields`` (tracker/review), as the admin's actions do; the record as the live tables now hold it."""
    from django.contrib.contenttypes.models import ContentType

    from tracker.models import Revision
    from tracker.review import step

    waiting = Revision.objects.filter(published_at=None, content_type=ContentType.objects.get_for_model(model))
    for revision in waiting:
        if all(revision.content[0]["fields"].get(name) == value for name, value in fields.items()):
            step(model, revision.object_id, checker, "checked")
            step(model, revision.object_id, checker, "published")
            return model.objects.get(pk=revision.object_id)
    raise AssertionError(f"No pending {model.__name__} has {fields}")


def cited() -> list[str]:
    """A source to cite in a written record: every fact needs one."""
    from tracker.models import Source

    return [Source.objects.order_by("pk").values_list("url", flat=True).first()]
