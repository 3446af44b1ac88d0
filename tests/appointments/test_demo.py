import datetime

import pytest

from appointments import demo, services
from appointments.models import Appointment, Body, Council, Election, ElectoralAlliance, Seat

pytestmark = pytest.mark.django_db


def test_demo_composition_is_computed_and_seeding_is_idempotent():
    demo.seed()
    council = Council.objects.get(region__code="1084", term_start=demo.TERM_START)
    composition = services.council_composition(council)
    current = Seat.objects.current(demo.TERM_START).filter(council=council)
    assert current.count() == composition.members == 54
    assert current.filter(kind=Seat.Kind.MAYOR).count() == 29
    assert council.chair is not None and council.vice_chair is not None and council.convener is not None
    assert Election.objects.filter(council=council, kind=Election.Kind.CHAIR).count() == 1
    assert Body.objects.filter(region=council.region).count() >= 10
    appointments = Appointment.objects.count()
    assert appointments >= 25
    demo.seed()
    assert Seat.objects.filter(council=council).count() == 54 + 1  # one replaced member in the history
    assert Appointment.objects.count() == appointments


def test_demo_shows_a_body_with_a_renewed_term():
    """Issue 13.6: the demo's Greater Copenhagen committee ran out on 31.1.2026; its new term is
    recorded and staffed, and the earlier term keeps its appointments."""
    demo.seed()
    old, new = Body.objects.get(name=demo.RENEWED_BODY, term_start=demo.BODY_TERM_START).terms()
    assert new.term_start == old.term_end + datetime.timedelta(days=1)
    assert Appointment.objects.current().filter(post__body=new).count() == 3
    assert Appointment.objects.filter(post__body=old).count() == 3
    assert not Appointment.objects.current().filter(post__body=old).exists()


def test_demo_current_council_is_made_by_the_term_change_from_the_2025_results():
    import json
    from pathlib import Path

    from appointments import demo_term
    from appointments.models import TermChange
    from register.models import ElectionList, Politician

    demo.seed()
    old = Council.objects.get(region__code="1084", term_start=demo.TERM_START)
    new = Council.objects.current(demo_term.TERM_START).get(region__code="1084")
    assert new.election_year == 2025 and new.name == "KKR Hovedstaden 2026-2029"
    assert old.name == "KKR Hovedstaden 2022-2025" and old.term_end == datetime.date(2026, 1, 21)
    assert not Seat.objects.current(demo_term.TERM_START).filter(council=old).exists()
    composition = services.council_composition(new)
    current = Seat.objects.current(demo_term.TERM_START).filter(council=new)
    assert current.count() == composition.members and current.filter(kind=Seat.Kind.MAYOR).count() == 29
    assert new.chair is not None and new.vice_chair is not None and new.convener is not None
    assert TermChange.objects.get(council=new).took_office_at is not None
    # The official figures: 98 councils; Albertslund from the official files, with candidates.
    assert ElectionList.objects.filter(year=2025).values("municipality").distinct().count() == 98
    assert ElectionList.objects.get(year=2025, municipality__code="165", letter="F").candidates
    # People stay invented: nobody in the demo carries the name of a member elected in the sample.
    sample = Path(demo_term.FIXTURES) / "kv25" / "mandatfordeling"
    elected = {
        m["Stemmeseddelnavn"]
        for path in sample.glob("*.json")
        for m in json.loads(path.read_text(encoding="utf-8"))["PersonligeMandater"]
    }
    assert not elected & set(Politician.objects.values_list("name", flat=True))
    demo.seed()
    assert Council.objects.filter(region__code="1084").count() == 2


def test_demo_blocs_are_as_in_danish_politics():
    """Issue 16: S (list A) in the red bloc; C, V, I, O and Æ in the blue; a local list in neither."""
    red, blue = set(demo.ALLIANCES["Rødt forbund"]), set(demo.ALLIANCES["Blåt forbund"])
    assert "A" in red and {"C", "V", "I", "O", "Æ"} <= blue
    assert not red & blue and "L" not in red | blue
    demo.seed()
    declared = {
        a.name: {p.letter for p in a.parties.all()}
        for a in ElectoralAlliance.objects.filter(council__region__code="1084").prefetch_related("parties")
    }
    assert declared and all(
        letters <= (red if "Rødt" in name else blue) for name, letters in declared.items()
    )
