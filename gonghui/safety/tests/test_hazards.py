"""The hazard card's path: reported, assigned, measures and deadline,
rectified with evidence, verified or sent back; bad input says what is wrong."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from gonghui.attachments.queries import attachments_of
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory
from gonghui.safety import services
from gonghui.safety.models import Action, Hazard, State
from gonghui.safety.tests.factories import (
    Team,
    assigned,
    in_work,
    photo,
    rectified,
    report,
    today,
)

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


def test_a_reported_card_waits_for_the_reception_point_and_logs_the_report():
    team = Team()
    hazard = report(team)
    assert hazard.state == State.REPORTED
    assert list(hazard.steps.values_list("action", flat=True)) == [Action.REPORT]


def test_photos_of_a_reported_hazard_are_kept_without_their_gps_position():
    team = Team()
    hazard = report(team, photos=[photo(gps=True)])
    (kept,) = attachments_of(hazard)
    with kept.file.open("rb") as f, Image.open(f) as image:
        assert not image.getexif()


def test_a_card_without_place_or_description_is_refused_in_chinese():
    team = Team()
    with pytest.raises(ValidationError) as e:
        report(team, place=" ", description="")
    assert e.value.message_dict["place"] == ["请填写隐患地点"]
    assert e.value.message_dict["description"] == ["请填写隐患描述"]
    assert not Hazard.objects.exists()


def test_a_pdf_is_not_taken_as_a_hazard_photo():
    team = Team()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 hello", content_type="application/pdf")
    with pytest.raises(ValidationError) as e:
        report(team, photos=[pdf])
    assert "不是照片" in e.value.message_dict["photos"][0]


def test_the_reception_point_assigns_only_a_department_of_its_own_union():
    team = Team()
    hazard = report(team)
    with pytest.raises(ValidationError) as e:
        services.assign_hazard(
            hazard=hazard, department=DepartmentFactory(union=UnionFactory()), actor=team.clerk
        )
    assert e.value.message_dict["department"] == ["请选择本工会的责任部门"]


def test_a_deadline_in_the_past_is_refused():
    team = Team()
    hazard = assigned(team)
    with pytest.raises(ValidationError) as e:
        services.plan_rectification(
            hazard=hazard,
            measures="更换",
            deadline=today() - timedelta(days=1),
            actor=team.handler,
        )
    assert "已经过去" in e.value.message_dict["deadline"][0]
    hazard.refresh_from_db()
    assert hazard.state == State.ASSIGNED


def test_a_handler_of_another_department_cannot_record_measures():
    team = Team()
    hazard = assigned(team)
    team.handler_member.department = DepartmentFactory(union=team.union)
    team.handler_member.save()
    with pytest.raises(ValidationError) as e:
        services.plan_rectification(
            hazard=hazard, measures="更换", deadline=today(), actor=team.handler
        )
    assert "责任部门的承办人" in messages_of(e.value)


def test_a_rectification_without_evidence_is_refused():
    team = Team()
    hazard = in_work(team)
    with pytest.raises(ValidationError) as e:
        services.rectify_hazard(
            hazard=hazard, rectification="已更换", evidence=[], actor=team.handler
        )
    assert "没有依据不能登记整改完成" in e.value.message_dict["evidence"][0]
    hazard.refresh_from_db()
    assert hazard.state == State.IN_WORK


def test_a_rectification_records_its_days_and_evidence():
    team = Team()
    hazard = rectified(team, reported_on=today() - timedelta(days=5))
    assert hazard.state == State.RECTIFIED
    assert hazard.days_to_rectify == 5
    assert len(attachments_of(hazard)) == 1


def test_a_supervisor_accepts_a_rectification():
    team = Team()
    hazard = rectified(team)
    services.verify_hazard(hazard=hazard, accepted=True, actor=team.supervisor)
    hazard.refresh_from_db()
    assert hazard.state == State.VERIFIED
    assert hazard.verified_by == team.supervisor


def test_nobody_verifies_their_own_rectification():
    team = Team()
    hazard = in_work(team)
    services.rectify_hazard(
        hazard=hazard, rectification="已更换", evidence=[photo()], actor=team.supervisor
    )
    with pytest.raises(ValidationError) as e:
        services.verify_hazard(hazard=hazard, accepted=True, actor=team.supervisor)
    assert "不能验收自己登记的整改" in messages_of(e.value)
    services.verify_hazard(hazard=hazard, accepted=True, actor=team.other_supervisor)
    assert hazard.state == State.VERIFIED


def test_only_a_safety_supervisor_verifies():
    team = Team()
    hazard = rectified(team)
    with pytest.raises(ValidationError) as e:
        services.verify_hazard(hazard=hazard, accepted=True, actor=team.clerk)
    assert "群众安全监督员" in messages_of(e.value)


def test_a_card_sent_back_is_in_work_again_and_no_longer_counts_as_rectified():
    team = Team()
    hazard = rectified(team)
    services.verify_hazard(
        hazard=hazard, accepted=False, note="灭火器型号不对", actor=team.supervisor
    )
    hazard.refresh_from_db()
    assert hazard.state == State.IN_WORK
    assert hazard.rectified_on is None
    assert hazard.returned == 1
    assert hazard.steps.last().action == Action.RETURN


def test_sending_back_needs_a_reason():
    team = Team()
    hazard = rectified(team)
    with pytest.raises(ValidationError) as e:
        services.verify_hazard(hazard=hazard, accepted=False, actor=team.supervisor)
    assert e.value.message_dict["note"] == ["退回重改时请写明不合格的原因"]


def test_a_step_out_of_order_names_the_cards_state():
    team = Team()
    hazard = report(team)
    with pytest.raises(ValidationError) as e:
        services.rectify_hazard(
            hazard=hazard, rectification="x", evidence=[photo()], actor=team.clerk
        )
    assert "已上报，待交办" in messages_of(e.value)


def test_overdue_cards_are_escalated_to_the_chair_once():
    team = Team()
    hazard = in_work(team)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today() - timedelta(days=2))
    assert services.escalate_overdue(union=team.union) == 1
    assert services.escalate_overdue(union=team.union) == 0
    hazard.refresh_from_db()
    assert hazard.escalated_on == today()
    assert hazard.steps.filter(action=Action.ESCALATE).count() == 1


def test_a_member_reporter_must_belong_to_the_union():
    team = Team()
    with pytest.raises(ValidationError) as e:
        report(team, reporter=MemberFactory(union=UnionFactory()))
    assert e.value.message_dict["reporter"] == ["上报人不是本工会会员"]
