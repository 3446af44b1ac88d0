"""The appointments benchmark generator builds production-scale data its pages can show."""

import random

import pytest

from accounts.models import User
from bench import gen_appointments, gen_foundation
from tests.conftest import log_in

pytestmark = pytest.mark.django_db


def test_generator_builds_bodies_appointments_and_its_pages_answer(client, django_assert_max_num_queries):
    from appointments.models import Appointment, Body, Election

    gen_foundation.generate(random.Random(1))
    gen_appointments.generate(random.Random(2))
    assert Body.objects.filter(term_end__isnull=False).count() == 2 * gen_appointments.BODIES
    current = Appointment.objects.current().count()
    assert 200 <= current <= 320
    assert Election.objects.filter(kind=Election.Kind.CHAIR).count() == 5
    for name, url, email in gen_appointments.pages():
        log_in(client, User.objects.get(email=email))
        with django_assert_max_num_queries(30):
            response = client.get(url)
        assert response.status_code == 200, name
    for measure in gen_appointments.measures().values():
        measure()
