from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "stemnet.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self):
        from stemnet.core.audit import register_labels

        register_labels(AUDIT_LABELS)


AUDIT_LABELS = {
    "participation.consultation.created": _("Consultation created"),
    "participation.consultation.updated": _("Consultation changed"),
    "participation.participant.joined": _("Participant joined"),
    "participation.idea.created": _("Idea posted"),
    "participation.idea.revised": _("New version of the idea"),
    "participation.idea.hidden": _("Idea hidden"),
    "participation.idea.shown": _("Idea shown again"),
    "participation.idea.merged": _("Idea merged into another"),
    "participation.idea.answered": _("Official answer given"),
    "participation.idea.linked": _("Idea linked"),
    "participation.suggestion.accepted": _("Suggestion accepted"),
    "participation.suggestion.declined": _("Suggestion declined"),
    "participation.live.moved": _("Live room moved to another idea"),
    "participation.survey.created": _("Survey created"),
    "participation.response.submitted": _("Survey answered"),
}
