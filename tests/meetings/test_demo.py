import pytest

from accounts import demo as accounts_demo
from appointments import demo as appointments_demo
from meetings import demo
from meetings.models import AgendaItem, Meeting, Minutes, Vote


@pytest.mark.django_db
def test_demo_seeds_a_year_of_meetings_once():
    appointments_demo.seed()
    accounts_demo.seed()
    demo.seed()
    demo.seed()
    assert Meeting.objects.count() == 7
    assert Minutes.objects.filter(published_version=1).count() == 4
    assert Vote.objects.exists() and AgendaItem.objects.filter(closed=True).exists()
    assert AgendaItem.objects.filter(title__icontains="IV-behandling").exists()
    # what this release added shows in the demo: a guest without a vote, an approval asked for
    from meetings.models import Guest

    assert Guest.objects.filter(meeting__minutes__published_version=1).count() == 1
    assert Meeting.objects.filter(status="planned", agenda_approval_requested_at__isnull=False).count() == 1
