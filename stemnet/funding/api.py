"""Public results of the funding rounds (amounts in euro as decimal strings)."""

from ninja import Field, Router, Schema

from stemnet.funding import selectors

router = Router(tags=["funding"])


class RoundResultOut(Schema):
    id: int
    title: str
    type: str
    year: int
    budget: str
    applications: int
    recognised: int
    funded: int
    granted_total: str
    demo: bool = Field(..., description="true for an invented demo round: not real figures")


@router.get("/rounds", response=list[RoundResultOut], auth=None)
def rounds(request):
    """Every closed round with its number of applications, recognitions, funded applications
    and the total granted."""
    return selectors.rounds_results()
