"""Read bounce reports (DSN, RFC 3464) from files or standard input: for a bounce mailbox
(e.g. piped from the mail server's alias, or a maildir's new messages)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from stemnet.newsletters.services.bounces import bounces_process


class Command(BaseCommand):
    help = "Stop newsletters to the addresses that hard-bounced in these DSN messages."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="message files; none: read one from stdin")

    def handle(self, *args, files, **options):
        messages = [Path(f).read_bytes() for f in files] or [sys.stdin.buffer.read()]
        stopped = sum(bounces_process(raw=raw) for raw in messages)
        self.stdout.write(f"messages read {len(messages)}, subscriptions stopped {stopped}")
