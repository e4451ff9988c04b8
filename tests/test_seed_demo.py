"""seed_demo: the demo county has material for every role, every stage and state, and a rerun writes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from findings.choices import ReviewState
from findings.models import Clue, Finding
from rectification.choices import TaskStatus
from rectification.models import RectificationTask
from rounds.choices import RoundStatus, Stage
from rounds.models import Inspection, InspectionGroup, PartyUnit, Round
from xuncha.demo.base import DEMO_PASSWORD
from xuncha.roles import Role, roles_of

EXPECTED_ROLES = {
    "office": Role.OFFICE,
    "leadership": Role.LEADERSHIP,
    "group1_leader": Role.GROUP_LEADER,
    "group1_member": Role.GROUP_MEMBER,
    "group2_leader": Role.GROUP_LEADER,
    "group2_member": Role.GROUP_MEMBER,
    "liaison": Role.UNIT_LIAISON,
    "jiwei": Role.DISCIPLINE_LIAISON,
    "zuzhibu": Role.SUPERVISING_LIAISON,
}


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The default demo county, seeded once for the class and rolled back after it (seeding takes a while)."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


def latest_group(name: str) -> InspectionGroup:
    latest = Round.objects.filter(status=RoundStatus.ACTIVE).order_by("-year", "-number").first()
    return InspectionGroup.objects.get(round=latest, name=name)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoCounty:
    def test_output_lists_every_account_with_the_one_password(self, demo):
        for username in [*EXPECTED_ROLES, "admin"]:
            assert username in demo
        assert DEMO_PASSWORD in demo

    @pytest.mark.parametrize("username", EXPECTED_ROLES)
    def test_each_demo_account_has_its_role_and_the_demo_password(self, username):
        user = User.objects.get(username=username)
        assert EXPECTED_ROLES[username] in roles_of(user)
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and not user.last_name

    def test_admin_is_a_superuser(self):
        admin = User.objects.get(username="admin")
        assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)

    def test_personas_lead_and_serve_in_groups_one_and_two_of_the_latest_active_round(self):
        for n, name in ((1, "第一巡察组"), (2, "第二巡察组")):
            group = latest_group(name)
            people = dict(group.memberships.values_list("inspector__user__username", "role"))
            assert people[f"group{n}_leader"] == "leader"
            assert people[f"group{n}_member"] == "member"

    def test_every_stage_review_state_and_task_status_occurs(self):
        assert set(Inspection.objects.values_list("stage", flat=True)) == set(Stage.values)
        assert set(Finding.objects.values_list("review_state", flat=True)) == set(ReviewState.values)
        assert set(RectificationTask.objects.values_list("status", flat=True)) == set(TaskStatus.values)

    def test_some_tasks_are_overdue_and_most_are_closed(self):
        tasks = RectificationTask.objects
        assert tasks.overdue(timezone.localdate()).exists()
        assert tasks.filter(status=TaskStatus.CLOSED).count() > tasks.count() / 2

    def test_closed_at_is_set_exactly_for_closed_tasks(self):
        assert not RectificationTask.objects.filter(status=TaskStatus.CLOSED, closed_at__isnull=True).exists()
        assert not RectificationTask.objects.exclude(status=TaskStatus.CLOSED).filter(closed_at__isnull=False).exists()

    def test_each_task_ends_on_an_event_into_its_status(self):
        for task in RectificationTask.objects.exclude(status=TaskStatus.NOT_STARTED).prefetch_related("events")[:500]:
            assert list(task.events.all())[-1].to_status == task.status

    def test_each_task_carries_its_findings_round(self):
        assert not RectificationTask.objects.exclude(round=F("finding__inspection__round")).exists()

    def test_fed_back_findings_are_reported_and_have_tasks(self):
        fed_back = Finding.objects.filter(feedback__isnull=False)
        assert fed_back.exists()
        assert not fed_back.exclude(review_state=ReviewState.REPORTED).exists()
        assert not fed_back.filter(tasks__isnull=True).exists()

    @pytest.mark.parametrize("name", ["第一巡察组", "第二巡察组"])
    def test_groups_one_and_two_have_findings_in_every_state_and_a_clue(self, name):
        group = latest_group(name)
        findings = Finding.objects.filter(inspection__group=group)
        for state in ReviewState.values:
            assert findings.filter(review_state=state).count() >= 3, state
        assert Clue.objects.filter(inspection__group=group).exists()

    def test_the_liaisons_unit_has_fed_back_tasks_in_the_latest_round(self):
        unit = User.objects.get(username="liaison").unit_liaison.unit
        latest = latest_group("第一巡察组").round
        assert RectificationTask.objects.filter(responsible_unit=unit, finding__inspection__round=latest).exists()

    def test_no_member_inspects_a_unit_they_must_avoid(self):
        for group in InspectionGroup.objects.prefetch_related("memberships__inspector__avoidances", "inspections"):
            units = {i.unit_id for i in group.inspections.all()}
            for membership in group.memberships.all():
                assert not (membership.inspector.avoided_unit_ids() & units)

    def test_latest_inspections_have_reports_and_fed_back_ones_are_final(self):
        from findings.choices import ReportState
        from findings.models import InspectionReport

        reports = InspectionReport.objects.filter(inspection__group=latest_group("第一巡察组"))
        assert reports.exists()
        assert not reports.filter(inspection__stage__gte=Stage.FEEDBACK).exclude(state=ReportState.FINAL).exists()
        final = InspectionReport.objects.filter(state=ReportState.FINAL).first()
        assert final.decision and final.steps.count() == 5

    def test_a_few_petitions_with_their_counters_from_the_register(self):
        from findings.models import Petition

        assert 5 <= Petition.objects.count() <= 10
        assert Petition.objects.filter(inspection__isnull=True).exists()
        assert {"received", "assigned", "closed"} <= set(Petition.objects.values_list("status", flat=True))
        for inspection in Inspection.objects.filter(petition_register__isnull=False).distinct():
            assert inspection.petitions == inspection.petition_register.count()

    def test_one_upper_level_visit_with_requests_in_every_state_of_its_course(self):
        from rectification.upper_models import UpperRequest, UpperVisit

        assert UpperVisit.objects.count() == 1
        statuses = set(UpperRequest.objects.values_list("status", flat=True))
        assert {"todo", "doing", "submitted", "confirmed"} <= statuses
        assert UpperRequest.objects.filter(owner__username="liaison").count() == UpperRequest.objects.count()

    def test_a_second_run_writes_nothing(self):
        before = model_counts()
        output = seed()
        assert "已存在" in output
        assert model_counts() == before


@pytest.mark.django_db
def test_scale_two_adds_a_second_county_of_the_same_volume():
    seed(tasks_per_county=400)
    tasks_one = RectificationTask.objects.count()
    output = seed(scale=2, tasks_per_county=400)

    assert "第2县" in output
    assert PartyUnit.objects.filter(name="第2县·城关镇党委").exists()
    assert (
        PartyUnit.objects.filter(name__startswith="第2县·").count()
        == PartyUnit.objects.exclude(name__startswith="第2县·").count()
    )
    assert 1.6 < RectificationTask.objects.count() / tasks_one < 2.4
