"""``manage.py funding_reminders --days 7``: reminders before deadlines (run daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send reminders N days before round closings, report due dates and recognition ends."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            action="append",
            help="days before the deadline (repeat for several; default from settings)",
        )

    def handle(self, *args, days=None, **options):
        from stemnet.funding.services import reminders_send

        days = days or getattr(settings, "FUNDING_REMINDER_DAYS", [14, 3])
        total = sum(reminders_send(days=d) for d in days)
        self.stdout.write(f"Reminders sent: {total}")
