from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StempactConfig(AppConfig):
    name = "stemnet.stempact"
    label = "stempact"
    verbose_name = _("STEMpact")

    def ready(self):
        from stemnet.core.audit import register_labels

        register_labels(AUDIT_LABELS)


AUDIT_LABELS = {
    "stempact.programme.created": _("Programme created"),
    "stempact.cohort.created": _("Cohort created"),
    "stempact.cohort.updated": _("Cohort changed"),
    "stempact.trajectory.applied": _("School applied"),
    "stempact.trajectory.decided": _("Application decided"),
    "stempact.questionnaire.saved": _("Questionnaire saved"),
    "stempact.measurement.opened": _("Measurement opened"),
    "stempact.respondent.invited": _("Respondent invited"),
    "stempact.respondents.reminded": _("Reminders sent"),
    "stempact.respondent.answered": _("Questionnaire answered"),
    "stempact.action.saved": _("Action saved"),
    "stempact.comment.added": _("Comment added"),
    "stempact.network.created": _("Learning network added"),
    "stempact.network.attendance": _("Attendance recorded"),
    "stempact.offer.saved": _("Sponsor company offer saved"),
    "stempact.pairing.run": _("Schools paired with sponsor companies"),
    "stempact.pairing.adjusted": _("Pairing adjusted"),
    "stempact.pairing.introduced": _("Introductions sent"),
    "stempact.award.opened": _("Award opened"),
    "stempact.award.entered": _("Award entry saved"),
    "stempact.award.nominated": _("Nomination changed"),
    "stempact.award.published": _("Winner published"),
}
