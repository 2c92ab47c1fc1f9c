"""``manage.py events_bench``: concurrent registrations on PostgreSQL (issue 17).

ATTEMPTS registration attempts for one event with PLACES places from PROCESSES processes at
once; every attempt is a different person. Expected: exactly PLACES confirmed, the rest on
the waiting list, no errors. Writes an event and users marked "bench" and deletes them
afterwards. Refuses SQLite (which serialises writers and proves nothing here)."""

import datetime as dt
import multiprocessing
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def _worker(args):
    event_id, user_ids = args
    import django
    from django.db import connections

    django.setup()
    connections.close_all()
    from django.contrib.auth import get_user_model

    from stemnet.events import services
    from stemnet.events.models import Event

    event = Event.objects.get(pk=event_id)
    counts = {"confirmed": 0, "waiting": 0, "errors": 0}
    for user in get_user_model().objects.filter(pk__in=user_ids):
        try:
            status = services.registration_create(event=event, actor=user).status
            counts[status] += 1
        except Exception:  # noqa: BLE001 - counted: the benchmark expects none
            counts["errors"] += 1
    connections.close_all()
    return counts


class Command(BaseCommand):
    help = "Concurrent registration benchmark (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--attempts", type=int, default=500)
        parser.add_argument("--places", type=int, default=100)
        parser.add_argument("--processes", type=int, default=8)

    def handle(self, *args, attempts, places, processes, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Run it with a PostgreSQL DATABASE_URL.")
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from stemnet.events.models import Event
        from stemnet.organisations.models import Organisation

        User = get_user_model()
        org = Organisation.objects.create(
            name="Bench organiser", slug="bench-organiser-events", type="gangmaker", is_demo=True
        )
        start = timezone.now() + dt.timedelta(days=30)
        event = Event.objects.create(
            organiser=org,
            kind="workshop",
            title="bench",
            slug="bench-events",
            capacity=places,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            registration_deadline=start,
            cancellation_deadline=start,
            is_published=True,
            is_demo=True,
        )
        users = User.objects.bulk_create(
            [
                User(email=f"bench{i}@bench.invalid", name=f"bench {i}", is_demo=True)
                for i in range(attempts)
            ]
        )
        ids = [u.pk for u in users]
        chunks = [(event.pk, ids[i::processes]) for i in range(processes)]
        connection.close()
        try:
            began = time.perf_counter()
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                results = pool.map(_worker, chunks)
            seconds = time.perf_counter() - began
            total = {k: sum(r[k] for r in results) for k in ("confirmed", "waiting", "errors")}
            held = event.registrations.filter(status="confirmed").count()
            self.stdout.write(
                f"{attempts} attempts, {places} places, {processes} processes: "
                f"{total['confirmed']} confirmed ({held} in the database), "
                f"{total['waiting']} waiting, {total['errors']} errors, "
                f"{seconds:.2f} s, {attempts / seconds:.0f} registrations/s"
            )
        finally:
            event.registrations.all().delete()
            event.delete()
            User.objects.filter(pk__in=ids).delete()
            org.delete()
