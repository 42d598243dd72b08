"""Back-office access for an area's records, shared by every area's admin.

Records of an area are read with its view permission and added with its
change permission, each in the record's own union (request.access). Rows of
other unions are 404, never a redirect that would tell they exist. Records
written only through services (money, care, ballots…) are not edited or
deleted in place: `edit_in_place = False` keeps the change form read-only.
"""

from django.http import Http404


class AreaAccess:
    view_perm: str
    change_perm: str
    edit_in_place = False

    def _unions(self, request, perm):
        access = getattr(request, "access", None)
        return access.unions_with(perm) if access is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).filter(union__in=self._unions(request, self.view_perm))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("没有找到该记录")
        return obj

    def has_module_permission(self, request):
        return bool(self._unions(request, self.view_perm))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return bool(self._unions(request, self.view_perm))
        return request.access.can(self.view_perm, obj.union_id)

    def has_add_permission(self, request, *args):
        return bool(self._unions(request, self.change_perm))

    def has_change_permission(self, request, obj=None):
        if not self.edit_in_place:
            return False
        if obj is None:
            return bool(self._unions(request, self.change_perm))
        return request.access.can(self.change_perm, obj.union_id)

    def has_delete_permission(self, request, obj=None):
        return False

    def _changeable(self, request, object_id):
        """The record, when the user may change records of its union; else 404."""
        obj = self.get_object(request, object_id)
        if not request.access.can(self.change_perm, obj.union_id):
            raise Http404("没有找到该记录")
        return obj
