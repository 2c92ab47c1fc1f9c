"""Agenda API: public search (api_public) and an organisation's own activities (api_manage)."""

from ninja import Router

from stemnet.agenda.api_manage import router as manage_router
from stemnet.agenda.api_public import router as public_router

router = Router(tags=["agenda"])
router.add_router("", public_router)
router.add_router("", manage_router)
