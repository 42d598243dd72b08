"""The member's own pages about their membership: where their transfer stands."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gonghui.members import queries


@login_required(login_url="portal:login")
def my_transfers(request):
    """The member's transfers between unions (会员关系转移接续), newest first, with
    the side that has to act next and, once done, the dues status carried."""
    return render(
        request,
        "members/portal/transfers.html",
        {"transfers": list(queries.own_transfers(user=request.user))},
    )
