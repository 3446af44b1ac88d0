from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load demo data for every app (idempotent: running it again adds nothing twice)."

    def handle(self, *args, **options):
        for dotted in settings.DEMO_SEEDERS:
            with transaction.atomic():
                lines = import_string(dotted)() or []
            for line in lines:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
