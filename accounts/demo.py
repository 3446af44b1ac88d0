"""Demo logins, one per role (all with the password DEMO_PASSWORD). The logins of politicians
(chair, member, substitute, appointee) follow from the register: appointments.demo creates them."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from register.models import Municipality, Region

from .models import Role, RoleKind, User

DEMO_PASSWORD = "demo-kkr-2026"  # noqa: S105 - demo data only, printed by seed_demo
# Fixed TOTP key of the demo staff logins, so the README can name it (base32 below).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


def demo_user(email: str, name: str, politician=None) -> User:
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
    lines = []

    secretariat = demo_user("sekretariat@demo.kkr.dk", "Sara Sekretær")
    Role.objects.get_or_create(user=secretariat, kind=RoleKind.SECRETARIAT, region=region)
    _totp(secretariat)
    officer = demo_user("region@demo.kkr.dk", "Rikke Regionsøkonom")
    Role.objects.get_or_create(user=officer, kind=RoleKind.REGION_OFFICER, region=region)
    _totp(officer)
    for code, email, name in [
        ("101", "klerk.kbh@demo.kkr.dk", "Karl Kommunal (København)"),
        ("147", "klerk.frb@demo.kkr.dk", "Frida Fakturering (Frederiksberg)"),
    ]:
        clerk = demo_user(email, name)
        Role.objects.get_or_create(
            user=clerk, kind=RoleKind.CLERK, municipality=Municipality.objects.get(code=code)
        )
    admin = demo_user("admin@demo.kkr.dk", "Administrator")
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
