"""Roster import pages inside the admin shell: upload, progress and result,
the template and the marked-up error copy of an upload."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gonghui.members import excel, imports
from gonghui.members.models import ImportJob
from gonghui.orgs.models import Department, Group, Union
from gonghui.orgs.roles import Perm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_unions(request) -> list[Union]:
    allowed = request.access.unions_with(Perm.IMPORT_ROSTER)
    if not allowed:
        raise PermissionDenied("您没有导入会员名册的权限")
    return list(Union.objects.filter(pk__in=allowed).order_by("path"))


def _job_for(request, pk: int) -> ImportJob:
    allowed = request.access.unions_with(Perm.IMPORT_ROSTER)
    return get_object_or_404(ImportJob.objects.filter(union_id__in=allowed), pk=pk)


class UploadForm(forms.Form):
    union = forms.TypedChoiceField(
        label="工会", coerce=int, error_messages={"invalid_choice": "请选择您有导入权限的工会"}
    )
    file = forms.FileField(
        label="名册文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的 .xlsx 文件"},
    )
    valid_only = forms.BooleanField(label="仅导入有效行（有误的行跳过）", required=False)
    update = forms.BooleanField(label="按身份证号更新已有会员", required=False)
    dry_run = forms.BooleanField(label="仅校验不写入", required=False)

    def __init__(self, *args, unions: list[Union], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].choices = [(u.pk, u.name) for u in unions]
        if len(unions) == 1:
            self.fields["union"].initial = unions[0].pk
            self.fields["union"].required = False
            self.fields["union"].empty_value = unions[0].pk
            self.fields["union"].widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MEMBER_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件大小为{upload.size / 1048576:.1f}MB，超过了{limit / 1048576:.0f}MB的上限，"
                "请分成几个文件分别导入"
            )
        return upload


def import_start(request):
    return admin.site.admin_view(_import_start)(request)


def _import_start(request):
    unions = _import_unions(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, unions=unions)
        if form.is_valid():
            union = next(u for u in unions if u.pk == form.cleaned_data["union"])
            upload = form.cleaned_data["file"]
            job = imports.start_import(
                union=union,
                upload=upload,
                original_name=upload.name,
                actor=request.user,
                update=form.cleaned_data["update"],
                valid_only=form.cleaned_data["valid_only"],
                dry_run=form.cleaned_data["dry_run"],
            )
            return redirect("members:import_job", pk=job.pk)
    else:
        form = UploadForm(unions=unions)
    jobs = ImportJob.objects.filter(union__in=unions).select_related("union", "created_by")[:20]
    context = {
        **admin.site.each_context(request),
        "title": "导入会员名册",
        "form": form,
        "jobs": [imports.refresh_state(j) for j in jobs],
        "unions": unions,
        "max_mb": settings.MEMBER_IMPORT_MAX_BYTES // 1048576,
    }
    return render(request, "members/import.html", context)


def import_job(request, pk):
    return admin.site.admin_view(_import_job)(request, pk)


def _import_job(request, pk):
    job = imports.refresh_state(_job_for(request, pk))
    progress = imports.job_progress(job)
    context = {
        **admin.site.each_context(request),
        "title": f"导入结果：{job.original_name}",
        "job": job,
        "progress": progress,
        "running": not progress["finished"],
        "succeeded": job.state == "done",
        "errors": job.errors or [],
        "progress_url": reverse("members:import_progress", args=[job.pk]),
    }
    return render(request, "members/import_job.html", context)


def import_progress(request, pk):
    return admin.site.admin_view(require_GET(_import_progress))(request, pk)


def _import_progress(request, pk):
    return JsonResponse(imports.job_progress(_job_for(request, pk)))


def import_errors_file(request, pk):
    return admin.site.admin_view(_import_errors_file)(request, pk)


def _import_errors_file(request, pk):
    job = _job_for(request, pk)
    if not job.errors:
        raise Http404("该导入没有错误")
    try:
        data = imports.error_workbook(job)
    except excel.WorkbookRejected as e:
        return HttpResponse(str(e), status=410, content_type="text/plain; charset=utf-8")
    return _download(data, f"错误报告-{job.pk}.xlsx")


def template(request):
    return admin.site.admin_view(_template)(request)


def _template(request):
    unions = _import_unions(request)
    wanted = request.GET.get("union")
    union = None
    if wanted:
        union = next((u for u in unions if str(u.pk) == wanted), None)
        if union is None:
            raise Http404("没有找到该工会")
    elif len(unions) == 1:
        union = unions[0]
    departments = groups = ()
    if union is not None:
        departments = Department.objects.filter(union=union).values_list("name", flat=True)
        groups = Group.objects.filter(union=union).values_list("name", flat=True)
    data = excel.member_template(departments=departments, groups=groups)
    return _download(data, "会员名册导入模板.xlsx")


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response.headers["Content-Disposition"] = _attachment(filename)
    return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"import.xlsx\"; filename*=UTF-8''{quote(filename)}"
