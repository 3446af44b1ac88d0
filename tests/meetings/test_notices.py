"""Notices of issue 16: the chair is told when minutes wait for approval, the secretariat when the
chair approves an agenda or minutes, members and called-in substitutes when an agenda or minutes
are published. One notice per person per event, through the outbox, each linking to the page;
running a service twice queues nothing more."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Notice
from meetings import services

from .conftest import approve, register, seat

pytestmark = pytest.mark.django_db


def notices(prefix):
    return Notice.objects.filter(key__startswith=prefix)


def emails(prefix):
    return sorted(notices(prefix).values_list("user__email", flat=True))


def test_the_secretariat_is_told_once_when_the_chair_approves_the_agenda(meeting, personas):
    approve(meeting)
    approve(meeting)
    assert emails("meetings:agenda-approved:") == ["secretariat@example.dk"]
    assert notices("meetings:agenda-approved:").get().url == reverse("meetings:detail", args=[meeting.pk])
    assert "secretariat-sj@example.dk" not in emails("meetings:agenda-approved:")


def decide(meeting, personas, text="Godkendt"):
    item = meeting.items.order_by("order").first()
    return services.minutes_save(meeting=meeting, by=personas["secretariat"], texts={item.pk: text})


def test_the_chair_is_told_once_when_minutes_wait_for_approval(held, personas):
    decide(held, personas)
    decide(held, personas, "Godkendt med ændringer")
    assert emails("meetings:minutes-approval:") == ["chair@example.dk"]
    notice = notices("meetings:minutes-approval:").get()
    assert notice.url == reverse("meetings:minutes", args=[held.pk])
    assert notice.url in notice.body


def test_an_empty_draft_waits_for_nothing(held, personas):
    services.minutes_start(meeting=held, by=personas["secretariat"])
    assert not notices("meetings:minutes-approval:").exists()


def test_the_secretariat_is_told_once_when_the_chair_approves_minutes(held, personas):
    minutes = decide(held, personas)
    services.minutes_approve(minutes=minutes, by=personas["chair"])
    with pytest.raises(ValidationError):  # approving twice is refused, and tells nobody again
        services.minutes_approve(minutes=minutes, by=personas["chair"])
    assert emails("meetings:minutes-approved:") == ["secretariat@example.dk"]
    assert notices("meetings:minutes-approved:").get().url == reverse("meetings:minutes", args=[held.pk])


def test_members_and_called_in_substitutes_are_told_once_when_minutes_are_published(meeting, personas):
    services.absence_report(meeting=meeting, seat=seat(meeting.council, 3), by=personas["member"])
    approve(meeting)
    published = services.agenda_publish(meeting=meeting, by=personas["secretariat"])

    register(published, {1: "p", 2: "p", 3: "s", 4: "p"})
    minutes = decide(published, personas)
    minutes = services.minutes_approve(minutes=minutes, by=personas["chair"])
    services.minutes_publish(minutes=minutes, by=personas["secretariat"])
    with pytest.raises(ValidationError):
        services.minutes_publish(minutes=minutes, by=personas["secretariat"])
    told = emails("meetings:minutes-published:")
    assert "substitute@example.dk" in told and "chair@example.dk" in told
    assert len(told) == len(set(told))
    assert "secretariat-sj@example.dk" not in told
    assert {n.url for n in notices("meetings:minutes-published:")} == {
        reverse("meetings:minutes", args=[published.pk])
    }


def test_a_new_version_is_a_new_event(held, personas):
    minutes = decide(held, personas)
    minutes = services.minutes_approve(minutes=minutes, by=personas["chair"])
    minutes = services.minutes_revise(minutes=minutes, by=personas["secretariat"], reason="Stavefejl")
    decide(held, personas, "Godkendt, rettet")
    assert notices("meetings:minutes-approval:").count() == 2
