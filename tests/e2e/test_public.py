"""The public visitor: start page, accessibility statement and login, all accessible."""

import pytest

from .conftest import visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_public_reaches_login_and_accessibility_statement(page):
    visit(page, "/", shot="public-start")
    page.get_by_role("link", name="Tilgængelighedserklæring").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="public-accessibility")
    assert page.get_by_role("heading", level=1).inner_text()
