"""Demo logins, one per role (all with the password DEMO_PASSWORD)."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from appointments.models import Council, Seat
from register.models import Municipality, Politician, Region

from .models import Role, User

DEMO_PASSWORD = "demo-kkr-2026"  # noqa: S105 - demo data only, printed by seed_demo
# Fixed TOTP key of the demo staff logins, so the README can name it (base32 below).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


def _user(email: str, name: str, politician=None) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, "politician": politician})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _totp(user: User) -> None:
    TOTPDevice.objects.get_or_create(
        user=user, name="Demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )


def seed() -> list[str]:
    region = Region.objects.get(code="1084")
    council = Council.objects.filter(region=region).order_by("-term_start").first()
    lines = []

    secretariat = _user("sekretariat@demo.kkr.dk", "Sara Sekretær")
    Role.objects.get_or_create(user=secretariat, kind=Role.Kind.SECRETARIAT, region=region)
    _totp(secretariat)
    officer = _user("region@demo.kkr.dk", "Rikke Regionsøkonom")
    Role.objects.get_or_create(user=officer, kind=Role.Kind.REGION_OFFICER, region=region)
    _totp(officer)
    for code, email, name in [
        ("101", "klerk.kbh@demo.kkr.dk", "Karl Kommunal (København)"),
        ("147", "klerk.frb@demo.kkr.dk", "Frida Fakturering (Frederiksberg)"),
    ]:
        clerk = _user(email, name)
        Role.objects.get_or_create(
            user=clerk, kind=Role.Kind.CLERK, municipality=Municipality.objects.get(code=code)
        )
    if council:
        _user("formand@demo.kkr.dk", council.chair.name, council.chair)
        seat = (
            Seat.objects.current().filter(council=council, kind=Seat.Kind.ELECTED).order_by("number").first()
        )
        _user("medlem@demo.kkr.dk", seat.holder.name, seat.holder)
        _user("suppleant@demo.kkr.dk", seat.substitute.name, seat.substitute)
        seated = Seat.objects.filter(council=council).values_list("holder_id", flat=True)
        substitutes = Seat.objects.filter(council=council).values_list("substitute_id", flat=True)
        plain = (
            Politician.objects.filter(municipality__region=region, office="")
            .exclude(id__in=seated)
            .exclude(id__in=substitutes)
            .order_by("id")
            .first()
        )
        _user("udpeget@demo.kkr.dk", plain.name, plain)
    admin = _user("admin@demo.kkr.dk", "Administrator")
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    _totp(admin)
    lines.append(f"Demo logins (password {DEMO_PASSWORD}):")
    for email, role in [
        ("sekretariat@demo.kkr.dk", "secretariat, KKR Hovedstaden (TOTP)"),
        ("formand@demo.kkr.dk", "chair"),
        ("medlem@demo.kkr.dk", "member"),
        ("suppleant@demo.kkr.dk", "personal substitute of medlem@"),
        ("udpeget@demo.kkr.dk", "council member / appointee"),
        ("klerk.kbh@demo.kkr.dk", "billing clerk, København (101)"),
        ("klerk.frb@demo.kkr.dk", "billing clerk, Frederiksberg (147)"),
        ("region@demo.kkr.dk", "region billing officer (TOTP)"),
        ("admin@demo.kkr.dk", "Django admin (TOTP)"),
    ]:
        lines.append(f"  {email:28} {role}")
    lines.append(
        "  TOTP for staff logins: python manage.py totp_code EMAIL (demo key GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ)"
    )
    return lines
