"""View helpers for the one refusal type: onto a form's fields, or into a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import Refused


def show_refusal(form, error: ValidationError) -> None:
    """Put a refusal on the form, on the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def attempt(request, action, done: str = "", *, form=None, invalid: str | None = None) -> bool:
    """Run a service call for a POST button: a success message (none when ``done`` is empty: the
    page itself shows the change), or the refusal's reasons.

    With ``form``, the call runs only when the form is valid; otherwise ``invalid`` (or the
    form's own errors) is the message."""
    if form is not None and not form.is_valid():
        messages.error(
            request, invalid or " ".join(str(e) for errors in form.errors.values() for e in errors)
        )
        return False
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    if done:
        messages.success(request, done)
    return True


def submit(form, call):
    """Run a service call for a valid form: its result, or None with the refusal shown on the form
    (nothing was saved). A service that is used this way returns its row (never None on success)."""
    try:
        return call()
    except Refused as error:
        show_refusal(form, error)
        return None


def url_by_pk(name: str):
    """A function giving ``reverse(name, args=[pk])`` for many pks with one reverse(): on a long
    list the address differs from row to row only by its id (issue 15: per-row reverse() and
    {% url %} were a measurable part of the course list and the decision register)."""
    sentinel = "2147483647"
    template = reverse(name, args=[int(sentinel)])
    return lambda pk: template.replace(sentinel, str(pk))
