"""How API endpoints find objects: through the scoped managers and the
caller's Access, so another union's ids answer 404 and never leak a name."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja.errors import HttpError

from gonghui.members.models import Member
from gonghui.orgs.models import Union

FORBIDDEN = {
    "members.view": "您没有查看该工会会员名册的权限",
    "members.change": "您没有修改该工会会员名册的权限（上级工会为只读）",
    "orgs.manage": "您没有管理该工会组织机构的权限（上级工会为只读）",
    "care.view": "您没有查看关怀帮扶记录的权限",
    "care.change": "您没有修改该工会关怀帮扶记录的权限（上级工会为只读）",
}


def require(request, perm: str, union_id: int) -> None:
    if not request.access.can(perm, union_id):
        raise HttpError(403, FORBIDDEN.get(perm, "您没有执行此操作的权限"))


def viewable_unions(request, perm: str, refusal: str) -> list[int]:
    """The unions where the caller holds `perm`; 403 with `refusal` when there are none."""
    union_ids = request.access.unions_with(perm)
    if not union_ids:
        raise HttpError(403, refusal)
    return union_ids


def union_for_write(request, union_id: int, perm: str) -> Union:
    """A union named in a request body: unseen is a field error (naming nothing),
    seen without `perm` is 403."""
    try:
        union = union_or_404(request, union_id)
    except Http404:
        raise ValidationError({"union": "未找到该工会"}) from None
    require(request, perm, union.id)
    return union


def union_or_404(request, union_id: int) -> Union:
    union = Union.objects.filter(pk=union_id, pk__in=request.access.read).first()
    if union is None:
        raise Http404
    return union


def member_or_404(request, member_id: int, perm: str) -> Member:
    member = (
        Member.objects.select_related("union", "department", "group").filter(pk=member_id).first()
    )
    if member is None:
        raise Http404
    require(request, perm, member.union_id)
    return member


def in_scope(model, pk: int | None, field: str, missing: str):
    """A referenced object the caller can read, or a field error that names nothing."""
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: missing})
    return obj
