"""``manage.py lending_overdue_reminders``: mail the borrowers of overdue loans (run daily).

Each overdue loan gets at most one reminder a day, through the outbox, in the recipient's
language."""

from django.core.management.base import BaseCommand

from stemnet.lending.services import loans_overdue_remind


class Command(BaseCommand):
    help = "Send reminders for overdue loans of the lending service (at most one a day each)."

    def handle(self, *args, **options):
        sent = loans_overdue_remind()
        self.stdout.write(f"Overdue reminders sent: {sent}")
