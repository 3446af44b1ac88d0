from django.core.management.base import BaseCommand

from archive.index import index_all


class Command(BaseCommand):
    help = "Rebuild the search entries of every published agenda (after a restore or an upgrade)."

    def handle(self, *args, **options):
        self.stdout.write(f"{index_all()} search entries written")
