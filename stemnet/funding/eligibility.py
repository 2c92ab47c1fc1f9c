"""Eligibility rules as data: each rule of a round is ``{"code": ..., <parameters>}``.

The registry maps a code to a function that returns the gap (a translated sentence) or None.
A new year's rule is a new entry here once, then configuration of every later round.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext as _

from stemnet.funding.models import Application, Partner

RuleCheck = Callable[[Application, dict], "str | None"]
RULES: dict[str, RuleCheck] = {}
# Which parameters every rule needs (checked when a round is saved).
PARAMETERS: dict[str, tuple[str, ...]] = {}


def rule(code: str, *params: str):
    def register(fn: RuleCheck) -> RuleCheck:
        RULES[code] = fn
        PARAMETERS[code] = params
        return fn

    return register


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError):
        return Decimal("0")


@rule("min_partner_roles", "roles")
def _min_partner_roles(application: Application, params: dict) -> str | None:
    present = set(application.partners.values_list("role", flat=True))
    labels = dict(Partner.Role.choices)
    missing = [str(labels.get(r, r)) for r in params["roles"] if r not in present]
    if missing:
        return _("Partners with these roles are missing: %(roles)s.") % {
            "roles": ", ".join(missing)
        }
    return None


@rule("min_partners", "count")
def _min_partners(application: Application, params: dict) -> str | None:
    if application.partners.count() < int(params["count"]):
        return _("At least %(count)s partner organisations are required.") % {
            "count": params["count"]
        }
    return None


@rule("min_cofinancing_share", "share")
def _min_cofinancing_share(application: Application, params: dict) -> str | None:
    share = _decimal(params["share"])
    totals = application.budget_lines.aggregate(a=Sum("amount"), c=Sum("cofinancing"))
    amount, cofinancing = totals["a"] or Decimal("0"), totals["c"] or Decimal("0")
    if amount <= 0 or cofinancing / amount < share:
        return _("The own contribution must be at least %(percent)s%% of the budget.") % {
            "percent": f"{share * 100:.0f}"
        }
    return None


@rule("max_duration_years", "years")
def _max_duration_years(application: Application, params: dict) -> str | None:
    years = int(params["years"])
    if application.budget_lines.filter(year_index__gt=years).exists():
        return _("The project may last at most %(years)s years; a budget line is later.") % {
            "years": years
        }
    return None


@rule("min_municipalities", "count")
def _min_municipalities(application: Application, params: dict) -> str | None:
    if application.municipalities.count() < int(params["count"]):
        return _("Choose at least %(count)s municipalities to reach.") % {"count": params["count"]}
    return None


@rule("applicant_types", "types")
def _applicant_types(application: Application, params: dict) -> str | None:
    if application.organisation.type not in params["types"]:
        return _("Your organisation's type cannot apply in this round.")
    return None


@rule("budget_required")
def _budget_required(application: Application, params: dict) -> str | None:
    if not application.budget_lines.exists():
        return _("Add at least one budget line.")
    return None


@rule("priority_required")
def _priority_required(application: Application, params: dict) -> str | None:
    allowed = set(application.round.priorities or [])
    chosen = set(application.priorities or [])
    if not chosen or (allowed and not chosen <= allowed):
        return _("Choose at least one of the round's priorities.")
    return None


@rule("no_running_grant", "round_types")
def _no_running_grant(application: Application, params: dict) -> str | None:
    """E.g. 2019: an academy budgeted in a funded partnership gets no academy subsidy during
    that partnership's project period (partner or applicant of a running grant)."""
    from stemnet.funding.models import Grant

    start = application.round.grant_start or application.round.closes_at.date()
    organisation = application.organisation
    running = Grant.objects.filter(
        application__round__type__in=params["round_types"], end_date__gt=start
    ).filter(
        models.Q(application__organisation=organisation)
        | models.Q(application__partners__organisation=organisation)
    )
    if running.exists():
        return _("Your organisation takes part in a grant that is still running.")
    return None


def rule_errors(rules: list) -> list[str]:
    """Configuration errors in a round's rule list (unknown code, missing parameter)."""
    errors = []
    if not isinstance(rules, list):
        return [_("The eligibility rules must be a list.")]
    for item in rules:
        code = item.get("code") if isinstance(item, dict) else None
        if code not in RULES:
            errors.append(_("Unknown eligibility rule “%(code)s”.") % {"code": code})
            continue
        for param in PARAMETERS[code]:
            if param not in item:
                errors.append(
                    _("The rule “%(code)s” needs the parameter “%(param)s”.")
                    % {"code": code, "param": param}
                )
    return errors


def evaluate(application: Application) -> list[str]:
    gaps = []
    for item in application.round.eligibility_rules or []:
        check = RULES.get(item.get("code")) if isinstance(item, dict) else None
        if check is None:
            gaps.append(
                _("The round has a rule this system does not know; contact the programme office.")
            )
            continue
        gap = check(application, item)
        if gap:
            gaps.append(gap)
    return gaps


def subsidy_cap(application: Application) -> Decimal | None:
    """What the round's subsidy formula allows for this application (None: no formula)."""
    formula = application.round.subsidy_formula or {}
    if formula.get("type") == "per_municipality":
        amount = _decimal(formula.get("amount")) * application.municipalities.count()
        cap = formula.get("cap")
        return min(amount, _decimal(cap)) if cap not in (None, "") else amount
    if formula.get("type") == "fixed":
        return _decimal(formula.get("amount"))
    return None
