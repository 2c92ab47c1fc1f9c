"""``manage.py events_offers``: let lapsed waiting-list offers go to the next person, and
send the reminders that are due (run every few minutes from cron)."""

from django.core.management.base import BaseCommand

from stemnet.events.services import offers_lapse, reminders_send


class Command(BaseCommand):
    help = "Move lapsed waiting-list offers on to the next person and send due reminders."

    def handle(self, *args, **options):
        lapsed = offers_lapse()
        reminded = reminders_send()
        self.stdout.write(f"{lapsed} offers lapsed, {reminded} reminders sent")
