"""``manage.py matching_follow_ups``: ask companies whether the contact happened (daily)."""

from django.core.management.base import BaseCommand

from stemnet.matching import services


class Command(BaseCommand):
    help = "Send the follow-up mail of matched requests whose follow-up time has come."

    def handle(self, *args, **options):
        sent = services.follow_ups_due()
        self.stdout.write(f"Follow-ups sent: {sent}")
