"""The results of a consultation as a spreadsheet (every cell neutralised) and a PDF report."""

from __future__ import annotations

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core.tabular import sheet_append
from stemnet.participation import selectors
from stemnet.participation.models import Consultation


def _num(value):
    return "" if value is None else value


def results_xlsx(consultation: Consultation) -> bytes:
    from openpyxl import Workbook

    ranked = selectors.consultation_results(consultation)
    groups = selectors.groups_in(ranked)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Results")[:31]
    header = [
        _("Rank"),
        _("Theme"),
        _("Idea"),
        _("Mean feasibility"),
        _("Spread"),
        _("Votes"),
        _("Support"),
    ]
    for _code, label in groups:
        header += [f"{label}: {_('mean')}", f"{label}: {_('votes')}"]
    sheet_append(sheet, header)
    for r in ranked:
        row = [
            r.rank,
            r.idea.theme.title,
            r.idea.title,
            _num(r.total.mean),
            _num(r.total.spread),
            r.total.count,
            r.supports,
        ]
        for code, _label in groups:
            tally = r.by_group.get(code)
            row += [_num(tally.mean) if tally else "", tally.count if tally else 0]
        sheet_append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def results_html(consultation: Consultation) -> str:
    ranked = selectors.consultation_results(consultation)
    return render_to_string(
        "participation/pdf/results.html",
        {
            "consultation": consultation,
            "results": ranked,
            "groups": selectors.groups_in(ranked),
            "made_at": timezone.localtime(),
        },
    )


def results_pdf(consultation: Consultation) -> bytes:
    from weasyprint import HTML

    return HTML(string=results_html(consultation), base_url=str(settings.BASE_DIR)).write_pdf()
