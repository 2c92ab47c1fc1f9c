"""Every write of the lending service, one function per use case (re-exported here)."""

from stemnet.lending.services.catalogue import (  # noqa: F401
    accessory_add,
    hub_create,
    item_create,
    item_update,
    manual_add,
    opening_exception_set,
    opening_hours_set,
    photo_add,
    unit_add,
    unit_retire,
)
from stemnet.lending.services.lab import (  # noqa: F401
    lab_booking_cancel,
    lab_booking_create,
    lab_session_create,
)
from stemnet.lending.services.loans import (  # noqa: F401
    TRANSITIONS,
    checklist,
    loan_approve,
    loan_cancel,
    loan_hand_out,
    loan_link_activity,
    loan_refuse,
    loan_request,
    loan_take_back,
    unit_maintenance,
    unit_repair,
)
from stemnet.lending.services.reminders import loans_overdue_remind  # noqa: F401
