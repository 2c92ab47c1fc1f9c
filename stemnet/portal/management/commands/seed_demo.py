"""``manage.py seed_demo``: the deterministic demo ecosystem (DEMO DATA ONLY).

Runs, in order: organisations, demo logins (with memberships), news, agenda activities.
Later modules add their own ``<app>.demo.seed(rng)`` step here. Every object it writes is
marked ``is_demo``; running it twice gives the same data.
"""

import importlib
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stemnet.core.services import demo_data_record

DEFAULT_SEED = 2020
SMALL_ACTIVITIES = 150


def _optional(module: str, name: str):
    """A seeding function of an app that may not have one yet."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


class Command(BaseCommand):
    help = "Create or refresh the demo organisations, logins, news and activities (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--small",
            action="store_true",
            help=f"only {SMALL_ACTIVITIES} activities (for tests); everything else as usual",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run without DEBUG (a demo server); never on a server real people use",
        )

    def handle(self, *args, seed: int, small: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates logins with a published password (demo only). "
                "Run it with DEBUG=1, or with --force on a demo server."
            )
        started = time.monotonic()
        with transaction.atomic():
            self._run(seed, small)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )
        self.stdout.write(
            "Log in with the accounts shown by: DEBUG=1 .venv/bin/python manage.py demo_accounts"
        )

    def _run(self, seed: int, small: bool) -> None:
        from stemnet.accounts import demo as accounts_demo
        from stemnet.organisations import demo as organisations_demo

        agenda_seed = _optional("stemnet.agenda.demo", "seed")
        agenda_clear = _optional("stemnet.agenda.demo", "clear")
        news_seed = _optional("stemnet.portal.demo", "seed_news")

        # Reach figures point at activities and organisations (PROTECT): clear them first.
        reach_clear = _optional("stemnet.reach.demo", "clear")
        if reach_clear:
            reach_clear()
        # STEMpact trajectories point at demo schools and companies (PROTECT).
        if stempact_clear := _optional("stemnet.stempact.demo", "clear"):
            stempact_clear()
        # Loans point at organisations (PROTECT): clear the demo hub before organisations change.
        if lending_clear := _optional("stemnet.lending.demo", "clear"):
            lending_clear()
        # Activities point at organisations (PROTECT): clear them before organisations change.
        if agenda_clear:
            agenda_clear()
        # Events point at organisations (PROTECT): clear the demo events first.
        if events_clear := _optional("stemnet.events.demo", "clear"):
            events_clear()
        # Each step gets its own generator, so adding a step never changes the others.
        organisations = organisations_demo.seed(random.Random(f"{seed}-organisations"))
        self.stdout.write(f"Organisations: {len(organisations.by_name)}")
        users = accounts_demo.seed(random.Random(f"{seed}-accounts"), organisations.by_name)
        self.stdout.write(f"Demo logins: {len(users)}")
        if news_seed:
            count = news_seed(random.Random(f"{seed}-news"))
            self.stdout.write(f"News articles: {count}")
        if agenda_seed:
            kwargs = {"total": SMALL_ACTIVITIES} if small else {}
            # Invented activities go to invented academies only, never under a real name.
            ids = agenda_seed(
                random.Random(f"{seed}-agenda"), organisations.invented_academies, **kwargs
            )
            self.stdout.write(f"Activities: {len(ids)}")
        uit_seed = _optional("stemnet.uit.demo", "seed")
        if uit_seed:
            self.stdout.write(f"UiT activities: {uit_seed(random.Random(f'{seed}-uit'))}")
        reach_seed = _optional("stemnet.reach.demo", "seed")
        if reach_seed:
            self.stdout.write(f"Reach rows: {reach_seed(random.Random(f'{seed}-reach'))}")
        if matching_seed := _optional("stemnet.matching.demo", "seed"):
            self.stdout.write(
                f"Company requests: {matching_seed(random.Random(f'{seed}-matching'))}"
            )
        if scoring_seed := _optional("stemnet.scoring.demo", "seed"):
            self.stdout.write(f"Jury scores: {scoring_seed(random.Random(f'{seed}-scoring'))}")
        if funding_seed := _optional("stemnet.funding.demo", "seed"):
            self.stdout.write(f"Funding: {funding_seed(random.Random(f'{seed}-funding'))}")
        if newsletters_seed := _optional("stemnet.newsletters.demo", "seed"):
            self.stdout.write(
                f"Newsletters: {newsletters_seed(random.Random(f'{seed}-newsletters'))}"
            )
        if participation_seed := _optional("stemnet.participation.demo", "seed"):
            self.stdout.write(
                f"Participation: {participation_seed(random.Random(f'{seed}-participation'))}"
            )
        if events_seed := _optional("stemnet.events.demo", "seed"):
            count = events_seed(random.Random(f"{seed}-events"), organisations.by_name, users)
            self.stdout.write(f"Events: {count}")
        if stempact_seed := _optional("stemnet.stempact.demo", "seed"):
            self.stdout.write(
                f"STEMpact schools: {stempact_seed(random.Random(f'{seed}-stempact'))}"
            )
        if lending_seed := _optional("stemnet.lending.demo", "seed"):
            academies = [
                organisations.by_name[name]
                for name in ("STEM-academie De Vonk Mechelen",)
                if name in organisations.by_name
            ] + list(organisations.invented_academies[:2])
            staff = [u for key, u in users.items() if key == "gangmaker"]
            items = lending_seed(random.Random(f"{seed}-lending"), academies, staff=staff)
            self.stdout.write(f"Lending items: {items}")
        # Every page and the figures' API say "demo" while this record exists.
        demo_data_record(seed=seed)
