"""Pairing each selected school with a sponsor company (peterbedrijf) through the matching
engine: the company's expertise should cover the school's weakest baseline aspects, within
each company's capacity and the maximum distance, optimal for the whole cohort. Staff adjust
with locks (always / never this pair) that every later run keeps."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.matching import engine, labels
from stemnet.organisations.models import Membership, Organisation
from stemnet.stempact import selectors
from stemnet.stempact.models import (
    Aspect,
    Cohort,
    Measurement,
    PairingLock,
    SponsorOffer,
    Trajectory,
)
from stemnet.stempact.services import _ensure_staff, mail

WEAKEST_COUNT = 2
NO_LOCATION = "no_location"
NO_BASELINE = "no_baseline"


def unmatched_label(code: str) -> str:
    own = {
        NO_LOCATION: _("The school has no municipality, so its distance is unknown."),
        NO_BASELINE: _("The school has no baseline results yet."),
    }
    return str(own.get(code) or labels.UNMATCHED_REASONS.get(code, code))


@transaction.atomic
def offer_save(
    *, cohort: Cohort, company: Organisation, capacity: int, expertise: Sequence[str], actor
) -> SponsorOffer:
    _ensure_staff(actor)
    if company.type != Organisation.Type.COMPANY:
        raise ValidationError({"company": _("Choose a company.")})
    unknown = [a for a in expertise if a not in Aspect.values]
    if unknown or not expertise:
        raise ValidationError({"expertise": _("Choose at least one aspect from the list.")})
    if capacity < 1:
        raise ValidationError({"capacity": _("A company sponsors at least one school.")})
    offer, _created = SponsorOffer.objects.update_or_create(
        cohort=cohort,
        company=company,
        defaults={"capacity": capacity, "expertise": [a for a in Aspect.values if a in expertise]},
    )
    audit.record(offer, "stempact.offer.saved", actor=actor, data={"capacity": capacity})
    return offer


def _point(org: Organisation) -> tuple[float, float] | None:
    m = org.municipality
    return (m.lat, m.lon) if m is not None else None


@transaction.atomic
def pairing_run(*, cohort: Cohort, actor, max_distance_km: float = 25.0) -> engine.Result:
    """Run the engine for every selected school; store each school's sponsor, the explanation
    (score parts, distance, the best alternative) or the reason it stayed unmatched."""
    _ensure_staff(actor)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    trajectories = list(selectors.trajectories_of(cohort, status=Trajectory.Status.SELECTED))
    scores = selectors.cohort_scores(cohort, Measurement.Kind.BASELINE)
    needs, skipped = [], {}
    for t in trajectories:
        point = _point(t.school)
        rows = list(scores.get(t.pk, {}).values())
        if point is None:
            skipped[t.pk] = NO_LOCATION
        elif not any(r.score is not None for r in rows):
            skipped[t.pk] = NO_BASELINE
        else:
            weak = frozenset(selectors.weakest_aspects(rows, WEAKEST_COUNT))
            needs.append(engine.Need(id=t.pk, lat=point[0], lon=point[1], weak_points=weak))
    offers = [
        engine.Offer(
            id=o.company_id,
            lat=_point(o.company)[0],
            lon=_point(o.company)[1],
            capacity=o.capacity,
            expertise=frozenset(o.expertise),
        )
        for o in cohort.sponsor_offers.select_related("company__municipality")
        if _point(o.company) is not None
    ]
    need_ids = {n.id for n in needs}
    offer_ids = {o.id for o in offers}
    locks = PairingLock.objects.filter(trajectory__cohort=cohort)
    pick = {
        kind: frozenset(
            (lk.trajectory_id, lk.company_id)
            for lk in locks
            if lk.kind == kind and lk.trajectory_id in need_ids and lk.company_id in offer_ids
        )
        for kind in PairingLock.Kind.values
    }
    rules = engine.Rules(
        max_distance_km=max_distance_km,
        require_age_overlap=False,
        must=pick[PairingLock.Kind.MUST],
        must_not=pick[PairingLock.Kind.MUST_NOT],
    )
    weights = engine.Weights(distance=1, expertise=2, themes=0, ages=0)
    try:
        result = engine.match(needs, offers, weights, rules)
    except engine.EngineInputError as error:
        raise ValidationError(labels.error_message(error), code=error.code) from None
    _store(trajectories, result, skipped, weights)
    audit.record(
        cohort,
        "stempact.pairing.run",
        actor=actor,
        data={"matched": result.matched, "unmatched": len(result.unmatched) + len(skipped)},
    )
    return result


def _store(trajectories, result: engine.Result, skipped: dict, weights: engine.Weights) -> None:
    pairs = {p.need_id: p for p in result.pairs}
    reasons = {u.need_id: u.reason for u in result.unmatched} | skipped
    for t in trajectories:
        pair = pairs.get(t.pk)
        old_sponsor = t.sponsor_id
        if pair is not None:
            t.sponsor_id = pair.offer_id
            t.pairing = {
                "points": pair.points,
                "max_points": weights.max_points(),
                "distance_km": round(pair.distance_km, 1),
                "locked": pair.locked,
                "parts": [
                    {"name": p.name, "value": round(p.value, 2), "points": p.points}
                    for p in pair.parts
                    if p.weight
                ],
                "alternative": (
                    {
                        "company": pair.alternative.offer_id,
                        "points": pair.alternative.points,
                        "why": pair.alternative.why,
                    }
                    if pair.alternative
                    else None
                ),
            }
            t.unmatched_reason = ""
        else:
            t.sponsor_id = None
            t.pairing = {}
            t.unmatched_reason = reasons.get(t.pk, engine.REASON_TOO_FEW_OFFERS)
        if t.sponsor_id != old_sponsor:
            t.introduced_at = None
        t.save(
            update_fields=["sponsor", "pairing", "unmatched_reason", "introduced_at", "updated_at"]
        )


@transaction.atomic
def lock_set(*, trajectory: Trajectory, company: Organisation, kind: str | None, actor) -> None:
    """Always or never pair this school with this company (None: remove the lock)."""
    _ensure_staff(actor)
    if kind is None:
        PairingLock.objects.filter(trajectory=trajectory, company=company).delete()
    else:
        if kind not in PairingLock.Kind.values:
            raise ValidationError(_("Unknown kind of adjustment."))
        if not trajectory.cohort.sponsor_offers.filter(company=company).exists():
            raise ValidationError(_("This company does not sponsor schools in this cohort."))
        if kind == PairingLock.Kind.MUST:
            PairingLock.objects.filter(trajectory=trajectory, kind=PairingLock.Kind.MUST).exclude(
                company=company
            ).delete()
        PairingLock.objects.update_or_create(
            trajectory=trajectory, company=company, defaults={"kind": kind}
        )
    audit.record(
        trajectory,
        "stempact.pairing.adjusted",
        actor=actor,
        data={"company": company.pk, "kind": kind},
    )


def _coordinator_emails(org: Organisation) -> list[str]:
    emails = list(
        org.memberships.filter(role=Membership.Role.COORDINATOR).values_list(
            "user__email", flat=True
        )
    )
    return emails or ([org.email] if org.email else [])


@transaction.atomic
def introductions_send(*, cohort: Cohort, actor) -> int:
    """Introduce every newly paired school and company to each other by e-mail."""
    _ensure_staff(actor)
    sent = 0
    pending = cohort.trajectories.select_for_update().filter(
        status=Trajectory.Status.SELECTED, sponsor__isnull=False, introduced_at__isnull=True
    )
    for t in pending.select_related("school", "sponsor"):
        context = {"trajectory": t, "school": t.school, "company": t.sponsor, "cohort": cohort}
        for to in _coordinator_emails(t.school) + _coordinator_emails(t.sponsor):
            mail(to=to, language=settings.LANGUAGE_CODE, template="introduction", context=context)
        t.introduced_at = timezone.now()
        t.save(update_fields=["introduced_at", "updated_at"])
        sent += 1
    audit.record(cohort, "stempact.pairing.introduced", actor=actor, data={"pairs": sent})
    return sent
