"""``manage.py lending_bench``: the lending benchmark of issue 18 (not a timed test).

Builds a hub with 1,000 units (100 items × 10) and 50,000 reservations in the current
database (all marked demo, removed afterwards), then times an availability search over a
month for the whole catalogue, and lets 8 concurrent writers book the same units, counting
double bookings. Run it on PostgreSQL: ``DATABASE_URL=postgres://… manage.py lending_bench``.
"""

from django.core.management.base import BaseCommand

from stemnet.lending.bench import run


class Command(BaseCommand):
    help = "Benchmark availability search and concurrent booking of the lending service."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--keep", action="store_true", help="keep the benchmark hub")

    def handle(self, *args, repeat: int, keep: bool, **options):
        for line in run(repeat=repeat, keep=keep):
            self.stdout.write(line)
