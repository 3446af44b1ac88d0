"""View helpers for the one refusal type: onto a form's fields, or into a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError


def show_refusal(form, error: ValidationError) -> None:
    """Put a refusal on the form, on the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def attempt(request, action, done: str = "") -> bool:
    """Run a service call for a POST button: a success message (none when ``done`` is empty: the
    page itself shows the change), or the refusal's reasons."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    if done:
        messages.success(request, done)
    return True
