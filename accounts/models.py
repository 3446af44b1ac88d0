"""Users (email login), their assigned roles, and the outbox of notices sent to people."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import Municipality, Politician, Region


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        """Log in whatever the case of the email typed (emails are stored in lower case and are
        unique without regard to case)."""
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    politician = models.OneToOneField(
        Politician,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("politician"),
        help_text=_(
            "Links the login to the register: membership, substitution and appointments follow from it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_any_case")]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class RoleKind(models.TextChoices):
    """The one enum of roles. Secretariat, region officer and clerk are assigned by hand (Role);
    the others follow from the register and are provided by the apps that own it
    (accounts.roles.register_role_source)."""

    SECRETARIAT = "secretariat", _("Secretariat")
    CHAIR = "chair", _("Chair / vice-chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")
    APPOINTEE = "appointee", _("Appointee")
    CLERK = "clerk", _("Municipal billing clerk")
    REGION_OFFICER = "region_officer", _("Region billing officer")


ASSIGNED_KINDS = (RoleKind.SECRETARIAT, RoleKind.REGION_OFFICER, RoleKind.CLERK)


class Role(models.Model):
    """A role assigned by hand, with its scope. Member, substitute, chair and appointee roles are
    not assigned: they follow from the register through the user's politician (accounts.roles)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(
        _("role"), max_length=20, choices=[(kind.value, kind.label) for kind in ASSIGNED_KINDS]
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="clerk") & Q(municipality__isnull=False) & Q(region__isnull=True))
                | (~Q(kind="clerk") & Q(region__isnull=False) & Q(municipality__isnull=True)),
                name="role_has_its_scope",
            ),
            models.UniqueConstraint(fields=["user", "kind", "region", "municipality"], name="role_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.municipality or self.region}"


class Notice(models.Model):
    """A message to one person, kept as a row so the task queue is never the only record.

    A periodic task sends what is due; the unique key makes queuing idempotent and the
    claim (a conditional UPDATE) makes sure only one worker sends a row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="notices")
    to_email = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    html = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The body or url holds a personal link (a survey respondent's): never shown in the admin, and
    # removed from the row once sent and LINK_NOTICE_KEEP has passed (accounts/services.py).
    personal_link = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.to_email}: {self.subject}"
