"""Benchmark (not a test): a personalised parents' issue to N invented subscribers, sent
through the outbox to a local SMTP server (aiosmtpd on 127.0.0.1) that is stopped and
started again half-way. Reports peak RSS, mails per second, digest searches per second and
the mails lost (must be 0). Run it on a database of its own, with tasks run at once:

    DJANGO_SETTINGS_MODULE=stemnet.settings_test DATABASE_URL=postgres://…/stemnet_bench \\
        .venv/bin/python manage.py newsletter_bench --subscribers 100000

It deletes its subscribers and issue afterwards (addresses @bench.example.org); other active
parents of that database get the issue too and are not counted.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stemnet.core.models import OutboxMessage
from stemnet.newsletters import selectors
from stemnet.newsletters.models import Audience, Block, Issue, Subscriber
from stemnet.newsletters.services import sending

POSTCODES = ["2800", "9000", "3000", "8000", "3500", "2000", "8500", "9300", "2300", "1000"]
DOMAIN = "bench.example.org"


class Command(BaseCommand):
    help = "Benchmark a personalised newsletter send to a local SMTP server (see the docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=1000, help="mails per batch")

    def handle(self, *args, subscribers: int, batch: int, **options):
        if "Immediate" not in settings.TASKS["default"]["BACKEND"]:
            raise CommandError("Run with DJANGO_SETTINGS_MODULE=stemnet.settings_test.")
        from stemnet.core.tests.smtpserver import SmtpServer

        self._clean()
        issue = self._prepare(subscribers)
        settings.NEWSLETTER_MAILS_PER_MINUTE = batch
        with SmtpServer() as server:
            self._configure(server)
            figures = self._send(issue, server, subscribers)
        self._clean()
        for name, value in figures.items():
            self.stdout.write(f"{name}: {value}")

    def _configure(self, server) -> None:
        settings.EMAIL_BACKEND = "stemnet.core.mail.OutboxBackend"
        settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

    def _prepare(self, count: int) -> Issue:
        rng = random.Random(2026)
        rows = []
        for i in range(count):
            ages = sorted(rng.sample(range(5, 19), rng.randint(1, 2)))
            rows.append(
                Subscriber(
                    audience=Audience.PARENTS,
                    email=f"ouder{i}@{DOMAIN}",
                    status=Subscriber.Status.ACTIVE,
                    source=Subscriber.Source.SIGNUP,
                    postcode=rng.choice(POSTCODES),
                    radius_km=rng.choice([5, 10, 25, 50]),
                    ages=ages,
                    is_demo=True,
                )
            )
        Subscriber.objects.bulk_create(rows, batch_size=2000)
        issue = Issue.objects.create(
            audience=Audience.PARENTS, subject="Bench", is_demo=True, include_digest=True
        )
        Block.objects.create(issue=issue, kind=Block.Kind.TEXT, text="Benchmark (demo).")
        return issue

    def _send(self, issue: Issue, server, count: int) -> dict:
        search_time = [0.0, 0]
        real = selectors.digest_search

        def timed(subscriber):
            started = time.perf_counter()
            try:
                return real(subscriber)
            finally:
                search_time[0] += time.perf_counter() - started
                search_time[1] += 1

        selectors.digest_search = timed
        started = time.perf_counter()
        try:
            sending.issue_send_start(issue=issue, actor=None)
            now = timezone.now()
            stopped = False
            while Issue.objects.get(pk=issue.pk).status == Issue.Status.SENDING:
                now += dt.timedelta(minutes=1)
                sending.issues_send_due(now=now)
                if not stopped and issue.deliveries.count() >= count // 2:
                    server.stop()  # mid-send: the next batch's mails wait in the outbox
                    stopped = True
                elif stopped and server.running is False and issue.deliveries.count() > count // 2:
                    server.start()
            server.start()
            self._drain()
        finally:
            selectors.digest_search = real
        elapsed = time.perf_counter() - started
        received = {r for m in server.received for r in m.rcpt_tos if r.endswith(DOMAIN)}
        return {
            "subscribers": count,
            "mails received": len(received),
            "mails lost": count - len(received),
            "seconds": round(elapsed, 1),
            "mails per second": round(len(received) / elapsed, 1),
            "digest searches": search_time[1],
            "digest searches per second": round(search_time[1] / max(search_time[0], 1e-9), 1),
            "peak RSS (MB)": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }

    def _drain(self) -> None:
        from stemnet.core.outbox import outbox_send_due

        while OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).exists():
            OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).update(
                next_attempt_at=timezone.now()
            )
            outbox_send_due(limit=5000)

    def _clean(self) -> None:
        Issue.objects.filter(subject="Bench", is_demo=True).delete()
        Subscriber.objects.filter(email__endswith=f"@{DOMAIN}").delete()
        OutboxMessage.objects.filter(subject="Bench").delete()
