"""core.views.url_by_pk gives what reverse() gives, for every id (one reverse for a long list)."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.views import url_by_pk


@given(st.integers(min_value=1, max_value=2_147_483_646))
def test_url_by_pk_equals_reverse(pk):
    assert url_by_pk("agreements:course_detail")(pk) == reverse("agreements:course_detail", args=[pk])
    assert url_by_pk("archive:follow_up")(pk) == reverse("archive:follow_up", args=[pk])
