"""``manage.py demo_accounts``: the demo logins, their password and the TOTP secret.

DEMO ONLY. Prints one line per role: what it is, e-mail, password, what to try, and for the
roles that must use two-factor authentication the TOTP secret, the otpauth:// URL for an
authenticator app and the code valid right now. ``--code`` prints only a fresh code (no
database needed); the hint it prints works as printed from the project folder.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


def current_totp_code(secret: str, at: float | None = None) -> str:
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(at if at is not None else time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


# The command that prints a fresh code, as typed in the project folder (settings need DEBUG=1
# or a SECRET_KEY; `make demo` creates .venv).
FRESH_CODE_COMMAND = "DEBUG=1 .venv/bin/python manage.py demo_accounts --code"


class Command(BaseCommand):
    help = "Show the demo logins (demo only): role, e-mail, password and TOTP secret."

    def add_arguments(self, parser):
        parser.add_argument(
            "--code",
            action="store_true",
            help="Print only the demo TOTP code valid now and how long it stays valid.",
        )

    def handle(self, *args, **options):
        from allauth.mfa import app_settings
        from allauth.mfa.adapter import get_adapter

        from stemnet.accounts.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET

        if options["code"]:
            left = app_settings.TOTP_PERIOD - int(time.time()) % app_settings.TOTP_PERIOD
            self.stdout.write(
                f"{current_totp_code(DEMO_TOTP_SECRET)} (nog {left} s geldig; opnieuw: "
                f"{FRESH_CODE_COMMAND})"
            )
            return

        User = get_user_model()
        existing = set(
            User.objects.filter(email__in=[a.email for a in ACCOUNTS], is_demo=True).values_list(
                "email", flat=True
            )
        )
        if not existing:
            self.stdout.write(
                self.style.WARNING("No demo accounts yet: run `manage.py seed_demo` first.")
            )
            return
        self.stdout.write(self.style.WARNING("DEMO ACCOUNTS (demo data only, never in production)"))
        width_role = max(len(a.label) for a in ACCOUNTS)
        width_mail = max(len(a.email) for a in ACCOUNTS)
        header = (
            f"{'Rol':<{width_role}}  {'E-mail':<{width_mail}}  {'Wachtwoord':<17}  2FA  Probeer"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for a in ACCOUNTS:
            if a.email not in existing:
                continue
            self.stdout.write(
                f"{a.label:<{width_role}}  {a.email:<{width_mail}}  {DEMO_PASSWORD:<17}  "
                f"{'ja ' if a.mfa else 'nee'}  {a.try_this}"
            )
        mfa_users = [a for a in ACCOUNTS if a.mfa and a.email in existing]
        if mfa_users:
            user = User.objects.get(email=mfa_users[0].email)
            url = get_adapter().build_totp_url(user, DEMO_TOTP_SECRET)
            self.stdout.write("")
            self.stdout.write(
                "Twee-stapsverificatie (TOTP): één sleutel voor alle accounts met 2FA = ja."
            )
            self.stdout.write(f"  geheime sleutel: {DEMO_TOTP_SECRET}")
            self.stdout.write(f"  otpauth-URL:     {url}")
            self.stdout.write(
                f"  code nu:         {current_totp_code(DEMO_TOTP_SECRET)} "
                "(wijzigt elke 30 s; voeg de sleutel toe aan een authenticator-app)"
            )
            self.stdout.write(f"  nieuwe code:     {FRESH_CODE_COMMAND}")
