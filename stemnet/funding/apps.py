from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "stemnet.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from stemnet.funding.selectors import panel_budget, panel_overseen_by
        from stemnet.scoring.selectors import register_budget_source, register_panel_overseer

        # The consensus view of a round's panel draws the funding line at the round's budget.
        register_budget_source("funding", panel_budget)
        # A round's consensus and reviewer assignments are for that round's officers only.
        register_panel_overseer("funding", panel_overseen_by)
        from stemnet.funding.selectors import is_recognised
        from stemnet.lending import hooks as lending_hooks

        # A hub that lends to recognised academies only asks funding who is recognised.
        lending_hooks.register_recognition(is_recognised)
        from stemnet.core.audit import register_labels
        from stemnet.funding.models import Application

        register_labels(AUDIT_LABELS)
        # A transition is recorded as funding.application.<new status>.
        register_labels(
            {
                f"funding.application.{status.value}": format_lazy(
                    _("Status changed to “{status}”"), status=status.label
                )
                for status in Application.Status
            }
        )


AUDIT_LABELS = {
    "funding.round.created": _("Round created"),
    "funding.round.review_opened": _("Review opened"),
    "funding.application.created": _("Application started"),
    "funding.application.updated": _("Application changed"),
    "funding.application.partner_added": _("Partner added"),
    "funding.application.partner_removed": _("Partner removed"),
    "funding.application.budget_line_added": _("Budget line added"),
    "funding.application.budget_line_removed": _("Budget line removed"),
    "funding.application.attachment_added": _("Attachment added"),
    "funding.application.attachment_removed": _("Attachment removed"),
    "funding.application.info_answered": _("Question answered"),
    "funding.inforequest.created": _("Question asked"),
    "funding.inforequest.answered": _("Question answered"),
    "funding.decision.recorded": _("Decision recorded"),
    "funding.recognition.granted": _("Recognition granted"),
    "funding.recognition.renewed": _("Recognition renewed"),
    "funding.grant.created": _("Grant created"),
    "funding.tranche.released": _("Tranche released"),
    "funding.tranche.paid": _("Tranche paid"),
    "funding.report.prefilled": _("Report pre-filled"),
    "funding.report.saved": _("Report saved"),
    "funding.report.submitted": _("Report submitted"),
    "funding.report.approved": _("Report approved"),
    "funding.report.changes_requested": _("Changes to the report requested"),
}
