"""Work the periodic and PDF tasks call: election records, constituent-meeting reminders, term warnings."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db.models import Q
from django.urls import reverse

import core.pdf
from accounts.messaging import queue_notice
from accounts.models import RoleKind
from accounts.selectors import users_with_role
from register.models import Politician

from .. import rules
from ..models import Appointment, Council, Election, Post
from ..selectors import election_view
from .bodies import council_terms
from .chair import region_mayors


def election_record_render(*, election_id: int) -> bool:
    """Render the PDF record of an election with its quotient table; safe to run twice."""
    election = Election.objects.select_related("council__region", "post__body").filter(pk=election_id).first()
    if election is None:
        return False
    rounds = list(election.rounds.order_by("number"))
    pdf = core.pdf.render_pdf(
        "appointments/pdf/election_record.html",
        {"election": election, "view": election_view(election, rounds), "rounds": rounds},
    )
    if election.record_pdf:
        election.record_pdf.delete(save=False)
    election.record_pdf.save(f"valg-{election.pk}.pdf", ContentFile(pdf), save=False)
    Election.objects.filter(pk=election.pk).update(record_pdf=election.record_pdf.name)
    return True


def _secretariat_users(region_id: int):
    return users_with_role(RoleKind.SECRETARIAT, region_id=region_id)


def constituent_reminders_queue(*, today: datetime.date) -> int:
    """From 1 December of the election year until 31 January: remind the convener and the
    secretariat of a council whose constituent meeting is not yet set. One notice per person
    and council (the notice key makes it exactly once)."""
    queued = 0
    for council in Council.objects.filter(constituent_meeting_at__isnull=True).select_related("region"):
        if not rules.constituent_reminder_due(
            council.election_year, today, constituted=council.is_constituted(today)
        ):
            continue
        chosen = rules.convener(region_mayors(council))
        recipients = list(_secretariat_users(council.region_id))
        if chosen is not None:
            convener = Politician.objects.filter(pk=chosen.politician_id).select_related("user").first()
            user = getattr(convener, "user", None)
            if user is not None:
                recipients.append(user)
            elif convener and convener.email:
                recipients.append(convener)
        context = {
            "council": council,
            "deadline": rules.constituent_deadline(council.election_year),
            "convener": chosen.name if chosen else "",
        }
        url = reverse("appointments:constituent", args=[council.pk])
        for person in recipients:
            email = person.email
            queue_notice(
                key=f"appointments:constituent:{council.pk}:{email}",
                to_email=email,
                template="appointments/notices/constituent",
                context=context,
                user=person if hasattr(person, "roles") else None,
                url=url,
            )
            queued += 1
    return queued


def term_warnings_queue(*, today: datetime.date, days: int = 60) -> int:
    """docs/rules.md §3: warn the secretariat ``days`` days before a term ends: a post's (or its body's), a
    single appointment's own end, and the electoral period of the council in office (for the
    appointments whose body sets no term end). Once per thing, end date and user (notice key)."""
    queued = _post_term_warnings(today, days)
    queued += _appointment_end_warnings(today, days)
    queued += _electoral_period_warnings(today, days)
    return queued


class _Users(dict):
    """Secretariat users per region, each region read once."""

    def __missing__(self, region_id):
        self[region_id] = users = list(_secretariat_users(region_id))
        return users


def _post_term_warnings(today: datetime.date, days: int) -> int:
    horizon = today + datetime.timedelta(days=days)
    posts = (
        Post.objects.select_related("body")
        .filter(
            Q(term_end__range=(today, horizon))
            | Q(term_end__isnull=True, body__term_end__range=(today, horizon))
        )
        .order_by("body__region_id", "body__name")
    )
    queued = 0
    users = _Users()
    for post in posts:
        if not rules.term_warning_due(post.ends_on, today, days):
            continue
        appointees = list(
            Appointment.objects.current(today).filter(post=post).values_list("politician__name", flat=True)
        )
        for user in users[post.body.region_id]:
            queue_notice(
                key=f"appointments:term:{post.pk}:{post.ends_on.isoformat()}:{user.pk}",
                to_email=user.email,
                template="appointments/notices/term_ends",
                context={"post": post, "ends_on": post.ends_on, "appointees": appointees},
                user=user,
                url=reverse("appointments:post_detail", args=[post.pk]),
            )
            queued += 1
    return queued


def _appointment_end_warnings(today: datetime.date, days: int) -> int:
    """An appointment with its own end date (``valid_to``) within the window."""
    horizon = today + datetime.timedelta(days=days)
    ending = (
        Appointment.objects.filter(valid_to__range=(today, horizon), valid_from__lte=horizon)
        .select_related("post__body", "politician")
        .order_by("post__body__region_id", "valid_to", "pk")
    )
    queued = 0
    users = _Users()
    for appointment in ending:
        if not rules.term_warning_due(appointment.valid_to, today, days):
            continue
        for user in users[appointment.post.body.region_id]:
            queue_notice(
                key=f"appointments:appointment:{appointment.pk}:{appointment.valid_to.isoformat()}:{user.pk}",
                to_email=user.email,
                template="appointments/notices/appointment_ends",
                context={
                    "post": appointment.post,
                    "name": appointment.politician.name,
                    "ends_on": appointment.valid_to,
                },
                user=user,
                url=reverse("appointments:post_detail", args=[appointment.post_id]),
            )
            queued += 1
    return queued


def _electoral_period_warnings(today: datetime.date, days: int) -> int:
    """The council in office leaves when the next one takes office (docs/rules.md §1): until that is
    recorded, by the latest day for the next constituent meeting. Its appointments to bodies
    without their own term end with it."""
    councils = list(Council.objects.current(today).select_related("region").order_by("region_id"))
    terms = council_terms(c.region_id for c in councils)
    queued = 0
    users = _Users()
    for council in councils:
        ends_on, _recorded = rules.electoral_period_end(terms.get(council.region_id, []), today)
        if not rules.term_warning_due(ends_on, today, days):
            continue
        appointees = list(
            Appointment.objects.current(today)
            .filter(
                post__body__region_id=council.region_id,
                post__term_end__isnull=True,
                post__body__term_end__isnull=True,
            )
            .order_by("politician__name")
            .values_list("politician__name", flat=True)
        )
        if not appointees:
            continue
        for user in users[council.region_id]:
            queue_notice(
                key=f"appointments:period:{council.pk}:{ends_on.isoformat()}:{user.pk}",
                to_email=user.email,
                template="appointments/notices/period_ends",
                context={"council": council, "ends_on": ends_on, "appointees": appointees},
                user=user,
                url=reverse("appointments:appointment_overview"),
            )
            queued += 1
    return queued
