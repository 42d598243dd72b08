"""Imports running as jobs: in a background thread, and after a restart."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from gonghui.members import imports
from gonghui.members.models import ImportJob, ImportState, Member
from gonghui.members.tests.test_import import a_row, roster_file
from gonghui.orgs.tests.factories import UnionFactory


@pytest.mark.django_db(transaction=True)
def test_a_background_import_runs_in_a_thread_and_reports_completion(tmp_path):
    union = UnionFactory()
    path = roster_file(tmp_path, [a_row(n) for n in range(1, 31)])
    job = imports.start_import(union=union, upload=path, original_name="big.xlsx", background=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state not in imports.ACTIVE_STATES:
            break
        time.sleep(0.1)
    assert job.state == ImportState.DONE, job.message
    assert job.created_count == 30 and job.message == "成功导入30名会员"
    assert Member.objects.filter(union=union).count() == 30
    assert imports.job_progress(job)["percent"] == 100


@pytest.mark.django_db
def test_a_synchronous_job_stores_masked_errors_and_keeps_the_upload_for_the_report(tmp_path):
    union = UnionFactory()
    bad = a_row(2, 身份证号=a_row(2)["身份证号"][:17])
    job = imports.start_import(
        union=union,
        upload=roster_file(tmp_path, [a_row(1), bad]),
        original_name="r.xlsx",
        background=False,
    )
    assert job.state == ImportState.FAILED
    assert job.errors[0]["row"] == 3 and bad["身份证号"] not in str(job.errors)
    assert (tmp_path / "media" / job.stored_path).exists()
    assert imports.error_workbook(job)[:2] == b"PK"


@pytest.mark.django_db
def test_a_job_whose_worker_is_gone_is_shown_as_interrupted_and_wrote_nothing():
    union = UnionFactory()
    job = ImportJob.objects.create(
        union=union,
        original_name="r.xlsx",
        state=ImportState.WRITING,
        worker="another-process",
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )
    job = imports.refresh_state(job)
    assert job.state == ImportState.INTERRUPTED
    assert "中断" in imports.job_progress(job)["message"]
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_a_job_of_another_live_process_is_left_running():
    job = ImportJob.objects.create(
        union=UnionFactory(),
        original_name="r.xlsx",
        state=ImportState.RUNNING,
        worker="another-process",
        heartbeat_at=timezone.now(),
    )
    assert imports.refresh_state(job).state == ImportState.RUNNING
