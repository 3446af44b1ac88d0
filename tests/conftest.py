"""Shared fixtures: the personas of DESIGN.md, a login helper that passes the second factor,
and the rule that a test needing PostgreSQL or Redis fails (not skips) in CI."""

import datetime
import os

import pytest
from django.conf import settings
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, RoleKind, User
from accounts.roles import forget_roles
from appointments.models import Council, Seat
from register.models import Municipality, Party, Politician, Region

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _require_services(request):
    needs = []
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        needs.append("PostgreSQL (DATABASE_URL=postgres://...)")
    if request.node.get_closest_marker("redis") and not settings.REDIS_URL:
        needs.append("Redis (REDIS_URL=redis://...)")
    if needs:
        message = "needs " + " and ".join(needs)
        if IN_CI:
            pytest.fail(f"{message}, which CI must provide")
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _fresh_roles():
    """Roles are cached per user id; a rolled-back test can leave ids another test reuses."""
    forget_roles()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


TODAY = datetime.date.today()


def make_politician(municipality, party, name, **extra):
    return Politician.objects.create(
        name=name,
        email=f"{name.lower().replace(' ', '.')}@example.dk",
        birth_date=extra.pop("birth_date", datetime.date(1970, 1, 1)),
        municipality=municipality,
        party=party,
        council_from=extra.pop("council_from", datetime.date(2022, 1, 1)),
        **extra,
    )


def make_user(email, politician=None, role=None, region=None, municipality=None):
    user = User.objects.create_user(
        email=email, password="pw-for-tests-123", name=email.split("@")[0], politician=politician
    )
    if role:
        Role.objects.create(user=user, kind=role, region=region, municipality=municipality)
    return user


@pytest.fixture
def hovedstaden(db):
    return Region.objects.get(code="1084")


@pytest.fixture
def sjaelland(db):
    return Region.objects.get(code="1085")


@pytest.fixture
def council(hovedstaden):
    """KKR Hovedstaden with four seats: two mayors and two party-elected members, each with a substitute."""
    kbh = Municipality.objects.get(code="101")
    frb = Municipality.objects.get(code="147")
    a, c = Party.objects.get(letter="A"), Party.objects.get(letter="C")
    start = TODAY - datetime.timedelta(days=400)
    council = Council.objects.create(region=hovedstaden, term_start=start, election_year=start.year - 1)
    specs = [
        (Seat.Kind.MAYOR, kbh, a, "Mette Mayor", "Dorte Deputy"),
        (Seat.Kind.MAYOR, frb, c, "Frank Mayor", "Dennis Deputy"),
        (Seat.Kind.ELECTED, kbh, a, "Mona Member", "Sune Substitute"),
        (Seat.Kind.ELECTED, frb, c, "Carl Member", "Sigrid Substitute"),
    ]
    for number, (kind, muni, party, holder, substitute) in enumerate(specs, start=1):
        Seat.objects.create(
            council=council,
            number=number,
            kind=kind,
            party=party,
            municipality=muni,
            holder=make_politician(muni, party, holder),
            substitute=make_politician(muni, party, substitute),
            valid_from=start,
        )
    council.chair = Seat.objects.get(council=council, number=1).holder
    council.vice_chair = Seat.objects.get(council=council, number=2).holder
    council.save()
    return council


@pytest.fixture
def other_council(sjaelland):
    roskilde = Municipality.objects.get(code="265")
    a = Party.objects.get(letter="A")
    start = TODAY - datetime.timedelta(days=400)
    council = Council.objects.create(region=sjaelland, term_start=start, election_year=start.year - 1)
    Seat.objects.create(
        council=council,
        number=1,
        kind=Seat.Kind.MAYOR,
        party=a,
        municipality=roskilde,
        holder=make_politician(roskilde, a, "Rasmus Roskilde"),
        substitute=make_politician(roskilde, a, "Rita Roskilde"),
        valid_from=start,
    )
    return council


@pytest.fixture
def personas(council, other_council, hovedstaden, sjaelland):
    """One user per role, plus users of the same roles in another scope."""
    seat = lambda n: Seat.objects.get(council=council, number=n)  # noqa: E731
    kbh, frb = Municipality.objects.get(code="101"), Municipality.objects.get(code="147")
    plain = make_politician(kbh, Party.objects.get(letter="V"), "Vera Councillor")
    return {
        "secretariat": make_user("secretariat@example.dk", role=RoleKind.SECRETARIAT, region=hovedstaden),
        "secretariat_other": make_user(
            "secretariat-sj@example.dk", role=RoleKind.SECRETARIAT, region=sjaelland
        ),
        "chair": make_user("chair@example.dk", politician=seat(1).holder),
        "member": make_user("member@example.dk", politician=seat(3).holder),
        "substitute": make_user("substitute@example.dk", politician=seat(3).substitute),
        "member_other": make_user(
            "member-sj@example.dk", politician=Seat.objects.get(council=other_council, number=1).holder
        ),
        "council_member": make_user("councillor@example.dk", politician=plain),
        "clerk_a": make_user("clerk-a@example.dk", role=RoleKind.CLERK, municipality=kbh),
        "clerk_b": make_user("clerk-b@example.dk", role=RoleKind.CLERK, municipality=frb),
        "officer": make_user("officer@example.dk", role=RoleKind.REGION_OFFICER, region=hovedstaden),
        "officer_other": make_user("officer-sj@example.dk", role=RoleKind.REGION_OFFICER, region=sjaelland),
    }


def log_in(client, user):
    """Log a user in, with the second factor passed (staff roles need it)."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login(client):
    def _login(user):
        return log_in(client, user)

    return _login


def pytest_collection_modifyitems(config, items):
    """A transactional test empties every table when it ends; without serialized_rollback the
    reference data of the data migrations (regions, municipalities, content types) is gone for the
    tests after it, and which tests break depends on the order. So every one must restore it."""
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "transactional tests must use serialized_rollback=True: " + ", ".join(sorted(offenders))
        )


def ensure_reference_data() -> None:
    """Load the data migrations' reference data (regions, municipalities, parties, the IV
    agreement) and the content types again when a flush has removed them. Serialized rollback
    normally restores them; the browser journeys' live-server sessions have been seen without it."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes

    from agreements.models import Agreement

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
    if not Region.objects.exists():
        importlib.import_module("register.migrations.0002_reference_data").load(apps, None)
    if not Agreement.objects.exists():
        importlib.import_module("agreements.migrations.0002_hovedstaden_agreement").create(apps, None)


@pytest.fixture
def real_worker(settings):
    """A real Celery worker consuming from Redis for the test (both queues, as `make worker` runs
    it: a worker started with fewer queues narrows the app's queue selection for every later
    worker in the process)."""
    import celery.contrib.testing.tasks  # noqa: F401 - registers the ping task start_worker waits for
    from celery.contrib.testing.worker import start_worker

    from kkr_portal.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=10,
            queues=["celery", "pdf"],
        ):
            yield
    finally:
        app.conf.task_always_eager = True
