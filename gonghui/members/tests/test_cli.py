"""The console commands: template, import, export and the list of unions."""

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gonghui.cli import command_line
from gonghui.members.models import Member
from gonghui.members.tests.factories import MemberFactory
from gonghui.members.tests.test_import import a_row, roster_file
from gonghui.orgs.tests.factories import UnionFactory


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


def test_hyphenated_command_names_map_to_django_commands():
    assert command_line(["import-members", "--union", "x", "a-b.xlsx"]) == [
        "import_members",
        "--union",
        "x",
        "a-b.xlsx",
    ]
    assert command_line(["--version"]) == ["--version"]


def test_the_console_script_writes_the_template(tmp_path):
    target = tmp_path / "模板.xlsx"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from gonghui.cli import main; main()",
            "member-template",
            "-o",
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    assert load_workbook(target)["会员名册"]["A1"].value == "姓名"


@pytest.mark.django_db
def test_import_members_imports_a_clean_file_and_exits_zero(tmp_path):
    union = UnionFactory(code="school")
    code, out, _ = run(
        "import_members", "--union", "school", str(roster_file(tmp_path, [a_row(1)]))
    )
    assert code == 0 and "成功导入1名会员" in out
    assert Member.objects.filter(union=union).count() == 1


@pytest.mark.django_db
def test_import_members_prints_each_error_on_a_line_and_exits_non_zero(tmp_path):
    UnionFactory(code="school")
    path = roster_file(tmp_path, [a_row(1, 姓名=""), a_row(2, 手机号码="1")])
    code, _, err = run("import_members", "--union", "school", str(path))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "第2行 第A列（姓名）：姓名不能为空"
    assert lines[1] == "第3行 第E列（手机号码）：手机号码格式不正确，应为11位大陆手机号"
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_import_members_dry_run_writes_nothing(tmp_path):
    UnionFactory(code="school")
    code, out, _ = run(
        "import_members", "--union", "school", "--dry-run", str(roster_file(tmp_path, [a_row(1)]))
    )
    assert code == 0 and "校验通过" in out
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_import_members_with_an_unknown_union_fails_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="找不到编码为“nope”的工会"):
        call_command("import_members", "--union", "nope", str(roster_file(tmp_path, [a_row(1)])))


@pytest.mark.django_db
def test_export_members_masks_by_default_and_reveals_on_request(tmp_path):
    union = UnionFactory(code="school")
    member = MemberFactory(union=union)
    masked, full = tmp_path / "m.xlsx", tmp_path / "f.xlsx"
    run("export_members", "--union", "school", "-o", str(masked))
    run("export_members", "--union", "school", "-o", str(full), "--reveal")
    assert load_workbook(masked)["会员名册"]["D2"].value != member.id_number
    assert load_workbook(full)["会员名册"]["D2"].value == member.id_number


@pytest.mark.django_db
def test_unions_lists_code_name_and_members_on_the_roll():
    union = UnionFactory(code="school", name="实验小学工会")
    MemberFactory.create_batch(2, union=union)
    MemberFactory(union=union, status="retired")
    _, out, _ = run("unions")
    line = next(line for line in out.splitlines() if line.startswith("school"))
    assert "实验小学工会" in line and line.split("\t")[1].strip() == "2"
