"""Storing a file together with the row that refers to it."""

from django.db import transaction


def save_with_file(instance, field: str, name: str, content, **save_kwargs) -> None:
    """Write `content` to the storage of `instance.<field>` and save the row in a savepoint; when
    the row cannot be written (an integrity error, a lost connection …), the file just written is
    removed again, so no file is left on disk without its row."""
    fieldfile = getattr(instance, field)
    fieldfile.save(name, content, save=False)
    stored = fieldfile.name
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except BaseException:
        fieldfile.storage.delete(stored)
        raise
