"""The statement page's pre-formatted amounts read exactly as `floatformat:"2g"` did."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from agreements.documents import money_format

amounts = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2)


@pytest.mark.parametrize("language", ["da", "en"])
@given(value=amounts)
def test_money_format_equals_floatformat(language, value):
    with translation.override(language):
        assert money_format()(value) == floatformat(value, "2g")


def test_danish_amounts_group_with_dots():
    with translation.override("da"):
        assert money_format()(Decimal("-1234567.5")) == "-1.234.567,50"
