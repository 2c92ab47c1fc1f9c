"""Demo logins, one per role, with memberships in the demo organisations.

DEMO ONLY: every account shares the password ``DEMO_PASSWORD`` and the accounts that must
use two-factor authentication (VLAIO staff, reviewers, administrator) share the TOTP secret
``DEMO_TOTP_SECRET``. ``manage.py demo_accounts`` prints both. Never load this on a server
that real people use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

DEMO_PASSWORD = "stemnet-demo-2020"  # noqa: S105 - demo only, printed by demo_accounts
# Base32, 32 characters (160 bits) like allauth's own secrets. Demo only.
DEMO_TOTP_SECRET = "STEMNETDEMOSECRETVLAIOTWENTYXYZ2"  # noqa: S105 - demo only
DEMO_DOMAIN = "demo.stemnet.invalid"


@dataclass(frozen=True)
class DemoAccount:
    role: str  # short code
    label: str  # what a human reads in the table
    email: str
    name: str
    organisation: str | None  # demo organisation name, None for the administrator
    membership_role: str | None
    mfa: bool
    try_this: str
    superuser: bool = False


ACCOUNTS = [
    DemoAccount(
        "academy_coordinator",
        "STEM-academie (coördinator)",
        f"academie@{DEMO_DOMAIN}",
        "Lotte Peeters (demo)",
        "STEM-academie De Vonk Mechelen",
        "coordinator",
        False,
        "Beheer de academie De Vonk Mechelen, haar leden en haar activiteiten.",
    ),
    DemoAccount(
        "partnership_coordinator",
        "STEM-partnerschap (coördinator)",
        f"partnerschap@{DEMO_DOMAIN}",
        "Jonas Verhoeven (demo)",
        "Neteland STEM-land",
        "coordinator",
        False,
        "Beheer de partners van Neteland STEM-land.",
    ),
    DemoAccount(
        "gangmaker",
        "STEM-gangmaker",
        f"gangmaker@{DEMO_DOMAIN}",
        "Sara Claes (demo)",
        "WiWeTeR Thomas More",
        "member",
        False,
        "Bekijk de academies die WiWeTeR ondersteunt.",
    ),
    DemoAccount(
        "programme_officer",
        "Programmabeheerder VLAIO",
        f"vlaio@{DEMO_DOMAIN}",
        "Pieter Janssens (demo)",
        "VLAIO",
        "member",
        True,
        "Meld aan met de TOTP-code en volg academies en partnerschappen op.",
    ),
    DemoAccount(
        "reviewer",
        "Beoordelaar (VLAIO)",
        f"beoordelaar@{DEMO_DOMAIN}",
        "Eline Maes (demo)",
        "VLAIO",
        "reviewer",
        True,
        "Meld aan met de TOTP-code en beoordeel aanvragen.",
    ),
    DemoAccount(
        "school_contact",
        "Contactpersoon school",
        f"school@{DEMO_DOMAIN}",
        "Tom Wouters (demo)",
        "Demo-basisschool De Regenboog",
        "coordinator",
        False,
        "Zoek STEM-activiteiten en academies rond Mechelen voor je leerlingen.",
    ),
    DemoAccount(
        "company_contact",
        "Contactpersoon bedrijf",
        f"bedrijf@{DEMO_DOMAIN}",
        "Nina De Smet (demo)",
        "Tandwiel Techniek (demo)",
        "coordinator",
        False,
        "Vind academies in de buurt om mee samen te werken.",
    ),
    DemoAccount(
        "administrator",
        "Beheerder (superuser)",
        f"beheerder@{DEMO_DOMAIN}",
        "Admin Demo",
        None,
        None,
        True,
        "Meld aan met de TOTP-code; /admin/ en alle beheerschermen.",
        superuser=True,
    ),
]


def _totp_reset(user) -> None:
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, DEMO_TOTP_SECRET)


@transaction.atomic
def seed(rng: random.Random, organisations=None) -> dict[str, object]:
    """Create or update the demo users; return them by role code.

    ``organisations`` maps demo organisation names to organisations (the result of
    ``stemnet.organisations.demo.seed``); when missing they are looked up by name.
    """
    from stemnet.organisations.models import Membership, Organisation

    User = get_user_model()
    # One hash for all: hashing is deliberately slow, the demo password is the same anyway.
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, object] = {}
    for account in ACCOUNTS:
        user = User.objects.filter(email=account.email).first() or User(email=account.email)
        user.name = account.name
        user.language = "nl"
        user.is_demo = True
        user.is_active = True
        user.is_staff = account.superuser
        user.is_superuser = account.superuser
        user.password = password_hash
        user.save()
        EmailAddress.objects.filter(user=user).exclude(email=account.email).delete()
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.mfa:
            _totp_reset(user)
        else:
            Authenticator.objects.filter(user=user).delete()
        wanted = []
        if account.organisation:
            if organisations is not None and account.organisation in organisations:
                organisation = organisations[account.organisation]
            else:
                organisation = Organisation.objects.get(name=account.organisation, is_demo=True)
            membership, _ = Membership.objects.update_or_create(
                user=user, organisation=organisation, defaults={"role": account.membership_role}
            )
            wanted.append(membership.pk)
        Membership.objects.filter(user=user).exclude(pk__in=wanted).delete()
        users[account.role] = user
    User.objects.filter(is_demo=True).exclude(pk__in=[u.pk for u in users.values()]).delete()
    return users
