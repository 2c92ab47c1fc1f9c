"""The audit trail reads as events: a label per code and one line per change."""

from django.utils import translation

from stemnet.core import audit


def test_registered_codes_have_labels_and_unknown_ones_read_as_words():
    with translation.override("en"):
        assert audit.label_for("funding.decision.recorded") == "Decision recorded"
        assert audit.label_for("someapp.thing.made_ready") == "Made ready"


def test_details_are_lines_not_dicts():
    data = {
        "before": {"status": "submitted", "title": "A"},
        "after": {"status": "eligible", "title": "A", "amount": "1500.00"},
        "reason": "Complete",
        "round_total": "3000.00",
    }
    assert audit.details_of(data) == [
        "status: submitted → eligible",
        "amount: 1500.00",
        "reason: Complete",
        "round total: 3000.00",
    ]
    assert audit.details_of({}) == []
