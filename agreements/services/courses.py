"""Registering and withdrawing courses: the form, the upload, the API and the CLI all call these."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.messaging import queue_notice
from accounts.models import Role, RoleKind
from core.errors import Refused
from register.models import Municipality

from .. import rules
from ..models import (
    Course,
)
from ..parsing import COURSE_FIELDS, CourseInput
from .agreement import agreement_periods


@dataclass
class RegisterResult:
    created: list[Course] = field(default_factory=list)
    updated: list[Course] = field(default_factory=list)
    unchanged: list[Course] = field(default_factory=list)
    possible_duplicates: list[tuple[Course, Course]] = field(default_factory=list)

    @property
    def courses(self) -> list[Course]:
        return self.created + self.updated + self.unchanged

    @property
    def across_municipalities(self) -> list[tuple[Course, Course]]:
        """Possible duplicates with a course of another municipality: told only to the region's
        billing officers, who settle both (never to the clerk, who must learn nothing about
        another municipality's citizens, not even that a course overlaps)."""
        return [(c, o) for c, o in self.possible_duplicates if o.municipality_id != c.municipality_id]

    def duplicate_warnings(self) -> list[dict]:
        """The possible duplicates within the course's own municipality, as the form and the API
        show them to the clerk (the courses are saved)."""
        warnings = []
        for course, other in self.possible_duplicates:
            if other.municipality_id != course.municipality_id:
                continue
            values = {"ref": course.external_id, "other": other.external_id}
            warnings.append(
                {
                    "code": "possible_duplicate",
                    "message": _(
                        "Possible duplicate: %(ref)s has the same CPR number and an overlapping period as %(other)s."
                    )
                    % values,
                    "other_external_id": other.external_id,
                }
            )
        return warnings


# Uploads that overlap each other can collide on several new external ids in turn.
REGISTER_ATTEMPTS = 10


def courses_register(*, items: list[CourseInput], user=None) -> RegisterResult:
    """Create or update courses by (municipality, external id): sending a course again updates it,
    never duplicates it. All or nothing; a constant number of queries however many items."""
    for _attempt in range(REGISTER_ATTEMPTS - 1):
        try:
            return _courses_register(items, user)
        except IntegrityError:
            # A new external id was committed by a concurrent submission (the unique constraint
            # made us wait for it): try again, and this time update the row it made.
            continue
    return _courses_register(items, user)


def _courses_register(items: list[CourseInput], user) -> RegisterResult:
    errors = []
    periods = agreement_periods()
    for item in items:
        errors.extend(item.problems(periods.get(item.municipality.region_id)))
        if item.municipality.region_id not in periods:
            errors.append(
                (
                    "municipality",
                    _("%(name)s is not a party to an IV agreement.") % {"name": item.municipality.name},
                )
            )
    if errors:
        raise Refused(rules.by_field(errors))
    result = RegisterResult()
    with transaction.atomic():
        keys = {(i.municipality.pk, i.external_id) for i in items}
        existing = {
            (c.municipality_id, c.external_id): c
            for c in Course.objects.select_for_update(of=("self",))
            .filter(municipality_id__in={m for m, _e in keys}, external_id__in={e for _m, e in keys})
            .select_related("municipality")
            .order_by("id")
        }
        new, changed = [], []
        for item in items:
            values = item.values()
            course = existing.get((item.municipality.pk, item.external_id))
            if course is None:
                course = Course(
                    municipality=item.municipality, external_id=item.external_id, created_by=user, **values
                )
                existing[(item.municipality.pk, item.external_id)] = course
                new.append(course)
                continue
            if any(getattr(course, name) != value for name, value in values.items()) or course.withdrawn:
                for name, value in values.items():
                    setattr(course, name, value)
                course.withdrawn = False
                course.revision += 1
                course.updated_at = timezone.now()
                if course not in changed and course not in new:
                    changed.append(course)
            elif course not in changed and course not in new:
                result.unchanged.append(course)
        _insert(new)
        if changed:
            Course.objects.bulk_update(
                changed, [*COURSE_FIELDS, "cpr_hash", "withdrawn", "revision", "updated_at"]
            )
        result.created, result.updated = new, changed
        hashes = {c.cpr_hash for c in new + changed if c.cpr_hash}
        if hashes:
            ids = {c.pk for c in new + changed}
            others = defaultdict(list)
            for other in Course.objects.filter(cpr_hash__in=hashes, withdrawn=False).exclude(pk__in=ids):
                others[other.cpr_hash].append(other)
            for course in new + changed:
                for other in others.get(course.cpr_hash, []):
                    if _overlap(course, other):
                        result.possible_duplicates.append((course, other))
        _notify_officers_of_duplicates(result.across_municipalities)
    return result


def _insert(courses: list[Course]) -> None:
    """bulk_create's INSERT … SELECT FROM UNNEST(arrays) RETURNING id, with the values given as
    they are: a course's values are already the plain dates, numbers and texts the driver sends,
    and Django's per-value preparation was most of an upload's time (issue 15: 5,000 rows).
    Defaults and auto_now come from the fields' pre_save, as in bulk_create; no signals either."""
    if not courses:
        return
    if connection.vendor != "postgresql":  # UNNEST is PostgreSQL's
        Course.objects.bulk_create(courses)
        return
    meta = Course._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields)
    columns = ", ".join(quote(f.column) for f in fields)
    # Every value is a parameter; the names and types are the model's.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT * FROM UNNEST({arrays}) RETURNING {quote(meta.pk.column)}"  # noqa: E501, S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [[f.pre_save(course, True) for course in courses] for f in fields])
        ids = [row[0] for row in cursor.fetchall()]
    for course, pk in zip(courses, ids, strict=True):
        course.pk = pk
        course._state.adding, course._state.db = False, connection.alias


def _notify_officers_of_duplicates(pairs: list[tuple[Course, Course]]) -> None:
    """Tell the region's billing officers of each possible duplicate across municipalities (one
    notice per pair and officer; queued in the registering transaction)."""
    if not pairs:
        return
    ids = {c.municipality_id for pair in pairs for c in pair}
    names = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "name"))
    regions = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "region_id"))
    officers = defaultdict(list)
    for role in Role.objects.filter(
        kind=RoleKind.REGION_OFFICER, region_id__in=set(regions.values()), user__is_active=True
    ).select_related("user"):
        officers[role.region_id].append(role.user)
    for course, other in pairs:
        first, second = sorted((course, other), key=lambda c: c.pk)
        url = reverse("agreements:course_detail", args=[course.pk])
        for user in officers[regions[course.municipality_id]]:
            queue_notice(
                key=f"iv-duplicate-{first.pk}-{second.pk}-{user.pk}",
                to_email=user.email,
                template="agreements/mail/duplicate",
                context={
                    "course": course,
                    "course_municipality": names[course.municipality_id],
                    "other": other,
                    "other_municipality": names[other.municipality_id],
                    "url": url,
                },
                user=user,
                url=url,
            )


def _overlap(a: Course, b: Course) -> bool:
    if not a.start_date or not b.start_date:
        return a.referred_on == b.referred_on
    far = datetime.date.max
    return a.start_date <= (b.end_date or far) and b.start_date <= (a.end_date or far)


def course_register(*, item: CourseInput, user=None) -> tuple[Course, bool]:
    """One course: (course, created)."""
    result = courses_register(items=[item], user=user)
    return result.courses[0], bool(result.created)


def course_withdraw(*, course: Course, user=None) -> Course:
    """Withdraw a course registered in error; a settled one is credited in the next run."""
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if not course.withdrawn:
            course.withdrawn = True
            course.revision += 1
            course.save(update_fields=["withdrawn", "revision", "updated_at"])
    return course
