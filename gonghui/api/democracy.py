"""Democratic management endpoints. Every write goes through democracy.services.

Congresses and proposals live in democracy_congress.py, elections and
evaluation in democracy_elections.py; this router gathers them."""

from ninja import Router

from gonghui.api.democracy_congress import router as congress_router
from gonghui.api.democracy_elections import router as elections_router

router = Router()
router.add_router("", congress_router)
router.add_router("", elections_router)
