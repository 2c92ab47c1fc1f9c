"""Every write of STEMpact: cohorts and intake, questionnaires, measurements and respondents,
action plans. Pairing is in ``pairing.py``, the award in ``award.py``.

Mail goes through Django's ``send_mail``: the site's outbox backend stores it in the
sender's transaction and the worker sends it after the commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.organisations.models import Organisation
from stemnet.stempact import selectors
from stemnet.stempact.models import (
    SCALE_CEILING,
    SCALE_FLOOR,
    Action,
    Answer,
    Aspect,
    Cohort,
    Comment,
    Item,
    LearningNetwork,
    Measurement,
    Programme,
    Questionnaire,
    Respondent,
    Trajectory,
)

MAX_ITEMS = 30


def _ensure_staff(actor) -> None:
    if not selectors.is_staff(actor):
        raise PermissionDenied(_("Only programme staff may do this."))


def mail(*, to: str, language: str, template: str, context: dict) -> None:
    """Render ``stempact/email/<template>.txt`` (and ``_subject``) in ``language`` and send."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "SITE_URL": settings.SITE_URL}
        subject = render_to_string(f"stempact/email/{template}_subject.txt", context)
        body = render_to_string(f"stempact/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


# --- programmes and cohorts ---------------------------------------------------------------


def programme_create(*, title: str, description: str = "", actor, is_demo: bool = False):
    if not is_demo:
        _ensure_staff(actor)
    programme = Programme(title=title.strip(), description=description, is_demo=is_demo)
    programme.full_clean()
    programme.save()
    audit.record(programme, "stempact.programme.created", actor=actor)
    return programme


def _check_scale(scale_min: int, scale_max: int) -> None:
    if not (SCALE_FLOOR <= scale_min < scale_max <= SCALE_CEILING):
        raise ValidationError(
            {
                "scale_max": _(
                    "The scale runs from a lowest to a higher highest answer, both between "
                    "%(floor)s and %(ceiling)s."
                )
                % {"floor": SCALE_FLOOR, "ceiling": SCALE_CEILING}
            },
            code="scale",
        )


@transaction.atomic
def cohort_create(
    *,
    programme: Programme,
    title: str,
    max_schools: int = 20,
    scale_min: int = 1,
    scale_max: int = 5,
    intake_open: bool = False,
    actor,
    is_demo: bool = False,
) -> Cohort:
    if not is_demo:
        _ensure_staff(actor)
    _check_scale(scale_min, scale_max)
    cohort = Cohort(
        programme=programme,
        title=title.strip(),
        max_schools=max_schools,
        scale_min=scale_min,
        scale_max=scale_max,
        intake_open=intake_open,
        is_demo=is_demo,
    )
    cohort.full_clean()
    cohort.save()
    audit.record(cohort, "stempact.cohort.created", actor=actor)
    return cohort


@transaction.atomic
def cohort_update(
    *, cohort: Cohort, actor, intake_open: bool, scale_min: int, scale_max: int, story: str
) -> Cohort:
    """Change the intake, the scale and the story. The scale is frozen once answers exist."""
    _ensure_staff(actor)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    _check_scale(scale_min, scale_max)
    scale_changed = (scale_min, scale_max) != (cohort.scale_min, cohort.scale_max)
    if scale_changed and Answer.objects.filter(respondent__measurement__cohort=cohort).exists():
        raise ValidationError(
            {"scale_min": _("Answers exist already: the scale can no longer change.")},
            code="scale_frozen",
        )
    cohort.intake_open, cohort.story = intake_open, story
    cohort.scale_min, cohort.scale_max = scale_min, scale_max
    cohort.save()
    audit.record(
        cohort,
        "stempact.cohort.updated",
        actor=actor,
        data={"intake_open": intake_open, "scale": [scale_min, scale_max]},
    )
    return cohort


# --- intake ----------------------------------------------------------------------------------


@transaction.atomic
def trajectory_apply(
    *, cohort: Cohort, school: Organisation, actor, motivation: str, **facts
) -> Trajectory:
    """A school's application; only a coordinator of the school applies, while intake is open."""
    if not selectors.schools_coordinated_by(actor).filter(pk=school.pk).exists():
        raise PermissionDenied(_("Only a coordinator of the school may apply for it."))
    if not cohort.intake_open:
        raise ValidationError(_("The intake of this cohort is closed."), code="intake_closed")
    if not motivation.strip():
        raise ValidationError({"motivation": _("Tell us why your school wants to take part.")})
    trajectory = Trajectory(cohort=cohort, school=school, motivation=motivation.strip(), **facts)
    offers_finality = (
        trajectory.finality_transfer or trajectory.finality_dual or trajectory.finality_labour
    )
    if trajectory.level == Trajectory.Level.SECONDARY and not offers_finality:
        raise ValidationError(
            {"finality_transfer": _("Tick at least one finality your school offers.")},
            code="finality",
        )
    trajectory.full_clean()
    try:
        with transaction.atomic():
            trajectory.save()
    except IntegrityError:
        raise ValidationError(
            _("This school has already applied to this cohort."), code="duplicate"
        ) from None
    audit.record(trajectory, "stempact.trajectory.applied", actor=actor)
    return trajectory


@transaction.atomic
def trajectory_decide(
    *, trajectory: Trajectory, selected: bool, note: str = "", actor
) -> Trajectory:
    """Select or decline an application; selection stays within the cohort's places."""
    _ensure_staff(actor)
    cohort = Cohort.objects.select_for_update().get(pk=trajectory.cohort_id)
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if selected and trajectory.status != Trajectory.Status.SELECTED:
        taken = cohort.trajectories.filter(status=Trajectory.Status.SELECTED).count()
        if taken >= cohort.max_schools:
            raise ValidationError(
                _("All %(count)s places of this cohort are taken.") % {"count": cohort.max_schools},
                code="full",
            )
    if not selected and not note.strip():
        raise ValidationError({"note": _("Give the school a reason why it was not selected.")})
    trajectory.status = Trajectory.Status.SELECTED if selected else Trajectory.Status.DECLINED
    trajectory.decision_note = note.strip()
    trajectory.decided_at = timezone.now()
    trajectory.save(update_fields=["status", "decision_note", "decided_at", "updated_at"])
    audit.record(
        trajectory, "stempact.trajectory.decided", actor=actor, data={"status": trajectory.status}
    )
    return trajectory


# --- questionnaires ----------------------------------------------------------------------------


def _clean_items(items: Sequence[str]) -> list[str]:
    cleaned = [" ".join(str(text).split()) for text in items]
    cleaned = [text for text in cleaned if text]
    if not cleaned:
        raise ValidationError({"items": _("Give at least one statement.")}, code="no_items")
    if len(cleaned) > MAX_ITEMS:
        raise ValidationError(
            {"items": _("At most %(max)s statements per aspect.") % {"max": MAX_ITEMS}}
        )
    too_long = [t for t in cleaned if len(t) > 500]
    if too_long:
        raise ValidationError({"items": _("A statement has at most 500 characters.")})
    return cleaned


@transaction.atomic
def questionnaire_save(
    *, cohort: Cohort, aspect: str, items: Sequence[str], actor
) -> Questionnaire:
    """Set an aspect's statements. A version that has answers stays as it is: the change
    becomes a new version, and the old answers keep their own statements."""
    _ensure_staff(actor)
    if aspect not in Aspect.values:
        raise ValidationError(_("Unknown aspect."), code="aspect")
    cleaned = _clean_items(items)
    Cohort.objects.select_for_update().get(pk=cohort.pk)
    current = selectors.questionnaire_current(cohort, aspect)
    if current is not None and [i.text for i in current.items.all()] == cleaned:
        return current
    if current is None or selectors.questionnaire_has_answers(current):
        version = 1 if current is None else current.version + 1
        current = Questionnaire.objects.create(cohort=cohort, aspect=aspect, version=version)
    else:
        current.items.all().delete()
    Item.objects.bulk_create(
        [Item(questionnaire=current, position=n, text=text) for n, text in enumerate(cleaned)]
    )
    audit.record(current, "stempact.questionnaire.saved", actor=actor, data={"items": cleaned})
    return current


# --- measurements and respondents ---------------------------------------------------------------


@transaction.atomic
def measurement_open(*, cohort: Cohort, kind: str, closes_at, actor) -> Measurement:
    """Open the baseline or final measurement until ``closes_at``; every aspect needs items."""
    _ensure_staff(actor)
    missing = [
        str(Aspect(a).label)
        for a in Aspect.values
        if not (q := selectors.questionnaire_current(cohort, a)) or not q.items.exists()
    ]
    if missing:
        raise ValidationError(
            _("These aspects have no statements yet: %(aspects)s.")
            % {"aspects": ", ".join(missing)},
            code="incomplete",
        )
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing moment must lie in the future.")})
    measurement, _created = Measurement.objects.update_or_create(
        cohort=cohort, kind=kind, defaults={"closes_at": closes_at}
    )
    audit.record(
        measurement, "stempact.measurement.opened", actor=actor, data={"closes": str(closes_at)}
    )
    return measurement


def may_invite(user, trajectory: Trajectory) -> bool:
    return selectors.is_staff(user) or selectors.is_school_member(user, trajectory)


def _survey_link(respondent: Respondent) -> str:
    return settings.SITE_URL + reverse("stempact:survey", kwargs={"token": respondent.token})


def _send_survey_mail(respondent: Respondent, template: str) -> None:
    mail(
        to=respondent.email,
        language=respondent.language,
        template=template,
        context={
            "respondent": respondent,
            "school": respondent.trajectory.school,
            "measurement": respondent.measurement,
            "link": _survey_link(respondent),
        },
    )


@transaction.atomic
def respondent_invite(
    *,
    measurement: Measurement,
    trajectory: Trajectory,
    email: str,
    name: str = "",
    role: str,
    actor,
) -> Respondent:
    """Invite a leader or teacher of the school with a personal link (no account needed)."""
    if not may_invite(actor, trajectory):
        raise PermissionDenied(_("Only the school or programme staff may invite respondents."))
    if (
        trajectory.status != Trajectory.Status.SELECTED
        or trajectory.cohort_id != measurement.cohort_id
    ):
        raise ValidationError(
            _("Only selected schools of this cohort take part."), code="not_selected"
        )
    if measurement.closes_at <= timezone.now():
        raise ValidationError(_("This measurement is closed."), code="closed")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter a valid e-mail address, such as name@example.org.")}
        ) from None
    if role not in Respondent.Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    if measurement.respondents.filter(trajectory=trajectory, email=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already invited for this measurement.") % {"email": email}}
        )
    respondent = Respondent.objects.create(
        measurement=measurement,
        trajectory=trajectory,
        email=email,
        name=name.strip(),
        role=role,
        language=getattr(actor, "language", "") or settings.LANGUAGE_CODE,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
    )
    _send_survey_mail(respondent, "survey_invitation")
    audit.record(respondent, "stempact.respondent.invited", actor=actor, data={"email": email})
    return respondent


@transaction.atomic
def respondents_remind(
    *, measurement: Measurement, actor, trajectory: Trajectory | None = None
) -> int:
    """Send a reminder to everyone invited who has not answered yet; the number sent."""
    if trajectory is None:
        _ensure_staff(actor)
    elif not may_invite(actor, trajectory):
        raise PermissionDenied(_("Only the school or programme staff may send reminders."))
    if measurement.closes_at <= timezone.now():
        raise ValidationError(_("This measurement is closed."), code="closed")
    pending = measurement.respondents.select_for_update().filter(submitted_at__isnull=True)
    if trajectory is not None:
        pending = pending.filter(trajectory=trajectory)
    now = timezone.now()
    sent = 0
    for respondent in pending.select_related("trajectory__school", "measurement"):
        _send_survey_mail(respondent, "survey_reminder")
        respondent.reminders += 1
        respondent.last_reminded_at = now
        respondent.save(update_fields=["reminders", "last_reminded_at", "updated_at"])
        sent += 1
    audit.record(measurement, "stempact.respondents.reminded", actor=actor, data={"sent": sent})
    return sent


def survey_state(respondent: Respondent | None) -> str:
    """ "ok", or why the link does not work: "unknown", "used" or "expired"."""
    if respondent is None:
        return "unknown"
    if respondent.submitted_at is not None:
        return "used"
    if respondent.measurement.closes_at <= timezone.now():
        return "expired"
    return "ok"


def survey_link_error(state: str) -> str:
    return {
        "unknown": _("This link is not valid. Use the link from your most recent invitation."),
        "used": _(
            "This link has already been used: your answers were received. Each link works once."
        ),
        "expired": _(
            "This measurement closed and the link has expired. Ask your school's coordinator "
            "if you still want to take part."
        ),
    }[state]


@transaction.atomic
def survey_submit(*, token: str, answers: Mapping[int, int | None]) -> Respondent:
    """Save one respondent's answers: item id → value on the cohort's scale, or None for
    "not applicable". Every statement of the current questionnaires needs one."""
    respondent = (
        Respondent.objects.select_for_update()
        .select_related("measurement__cohort")
        .filter(token=token)
        .first()
    )
    state = survey_state(respondent)
    if state != "ok":
        raise ValidationError(survey_link_error(state), code=state)
    cohort = respondent.measurement.cohort
    items = [i for q in selectors.questionnaires_current(cohort) for i in q.items.all()]
    missing, out_of_scale = [], []
    for item in items:
        if item.pk not in answers:
            missing.append(item)
        elif answers[item.pk] is not None and not (
            cohort.scale_min <= answers[item.pk] <= cohort.scale_max
        ):
            out_of_scale.append(item)
    errors = {}
    for item in missing:
        errors[f"item_{item.pk}"] = _('Choose an answer or "not applicable".')
    for item in out_of_scale:
        errors[f"item_{item.pk}"] = _("Choose an answer from %(min)s to %(max)s.") % {
            "min": cohort.scale_min,
            "max": cohort.scale_max,
        }
    if errors:
        raise ValidationError(errors, code="incomplete")
    Answer.objects.bulk_create(
        [Answer(respondent=respondent, item=item, value=answers[item.pk]) for item in items]
    )
    respondent.submitted_at = timezone.now()
    respondent.save(update_fields=["submitted_at", "updated_at"])
    audit.record(respondent, "stempact.respondent.answered")
    return respondent


# --- action plan --------------------------------------------------------------------------------


def may_edit_plan(user, trajectory: Trajectory) -> bool:
    return (
        selectors.is_staff(user)
        or selectors.is_school_member(user, trajectory)
        or selectors.is_sponsor_member(user, trajectory)
    )


@transaction.atomic
def action_save(*, trajectory: Trajectory, actor, action: Action | None = None, **fields) -> Action:
    """Add or change an action of the school's plan (school, its sponsor company or staff)."""
    if not may_edit_plan(actor, trajectory):
        raise PermissionDenied(_("Only the school, its sponsor company or staff edit this plan."))
    if trajectory.status != Trajectory.Status.SELECTED:
        raise ValidationError(_("Only selected schools have an action plan."), code="not_selected")
    action = action or Action(trajectory=trajectory)
    if action.trajectory_id != trajectory.pk:
        raise PermissionDenied(_("This action belongs to another school."))
    for name, value in fields.items():
        setattr(action, name, value)
    if action.status == Action.Status.DONE:
        action.progress = 100
    action.full_clean()
    action.save()
    audit.record(action, "stempact.action.saved", actor=actor, data={"status": action.status})
    return action


@transaction.atomic
def comment_add(*, trajectory: Trajectory, actor, text: str) -> Comment:
    if not may_edit_plan(actor, trajectory):
        raise PermissionDenied(_("Only the school, its sponsor company or staff comment here."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    comment = Comment.objects.create(trajectory=trajectory, author=actor, text=text[:5000])
    audit.record(trajectory, "stempact.comment.added", actor=actor, data={"comment": comment.pk})
    return comment


# --- learning networks (kept here until events offers them) ---------------------------------------


@transaction.atomic
def network_create(
    *, cohort: Cohort, title: str, held_on, place: str = "", actor
) -> LearningNetwork:
    _ensure_staff(actor)
    network = LearningNetwork(
        cohort=cohort,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        position=cohort.networks.count(),
    )
    network.full_clean()
    network.save()
    audit.record(network, "stempact.network.created", actor=actor)
    return network


@transaction.atomic
def attendance_set(*, network: LearningNetwork, present: Sequence[Trajectory], actor) -> None:
    _ensure_staff(actor)
    present = [t for t in present if t.cohort_id == network.cohort_id]
    network.attendees.set(present)
    audit.record(
        network,
        "stempact.network.attendance",
        actor=actor,
        data={"present": [t.pk for t in present]},
    )
