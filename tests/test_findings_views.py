"""Finding and clue pages as a user meets them: forms keep what was typed, lists stay cheap, filters work."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from findings.choices import ClueStatus, ReviewState
from findings.filtersets import FindingFilterSet
from findings.models import Clue, CluePerson, Evidence, Finding, FindingCategory
from findings.selectors import category_tree, leaf_categories
from tests.findings_support import PDF

pytestmark = pytest.mark.django_db


def _post_data(world, **overrides):
    data = {
        "inspection": world.g1.inspection.pk,
        "category": world.category.pk,
        "title": "村集体资金管理混乱",
        "description": "三笔资金未入账",
        "source": "documents",
        "key_minority": "on",
    }
    data.update(overrides)
    return data


def test_member_drafts_a_finding_with_evidence(world, login):
    client = login(world.users["group1_member"])
    data = _post_data(world, files=[SimpleUploadedFile("账目.pdf", PDF), SimpleUploadedFile("照片.txt", b"ok")])
    response = client.post(reverse("findings:finding_create"), data)
    finding = Finding.objects.get(title="村集体资金管理混乱")
    assert response.status_code == 302 and response.url == reverse("findings:finding_detail", args=[finding.pk])
    assert finding.key_minority and not finding.immediate and finding.seq == 3
    assert sorted(finding.evidence.values_list("original_name", flat=True)) == ["照片.txt", "账目.pdf"]
    page = client.get(response.url).content.decode()
    assert "账目.pdf" in page and "提交复核" in page and "起草问题底稿" in page  # history reason


def test_a_validation_error_keeps_what_was_typed(world, login):
    client = login(world.users["group1_member"])
    response = client.post(reverse("findings:finding_create"), _post_data(world, category=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "村集体资金管理混乱" in page and "三笔资金未入账" in page and "is-invalid" in page
    assert not Finding.objects.filter(title="村集体资金管理混乱").exists()


def test_a_bad_file_is_named_and_the_rest_is_kept(world, login, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client = login(world.users["group1_member"])
    data = _post_data(
        world, files=[SimpleUploadedFile("伪装.pdf", b"MZ" * 10), SimpleUploadedFile("大.pdf", PDF * 100)]
    )
    page = client.post(reverse("findings:finding_create"), data).content.decode()
    assert "伪装.pdf" in page and "不符" in page
    assert "大.pdf" in page and "上限" in page
    assert "村集体资金管理混乱" in page and "请重新选择佐证材料" in page
    assert not Finding.objects.filter(title="村集体资金管理混乱").exists() and not Evidence.objects.exists()


def test_categories_are_leaves_grouped_by_parent_and_inspections_only_the_members_own(world, login):
    page = login(world.users["group1_member"]).get(reverse("findings:finding_create")).content.decode()
    assert '<optgroup label="全面从严治党不力">' in page and "违反中央八项规定精神" in page
    assert world.units.finance.name in page and world.units.education.name not in page


def test_the_list_filter_offers_the_top_categories_and_the_active_leaves_under_their_parent(world):
    leaf = world.category
    FindingCategory.objects.create(name="已停用的细类", parent=leaf.parent, code="zz", is_active=False)
    with CaptureQueriesContext(connection) as queries:
        choices = FindingFilterSet({}, queryset=Finding.objects.none()).form.fields["category"].choices
    assert len(queries) == 1, "the whole tree in one query"
    groups = dict(choices[1:])
    tops = FindingCategory.objects.filter(parent=None).order_by("code")
    assert groups["大类"] == [(c.pk, c.name) for c in tops]
    assert (leaf.pk, leaf.name) in groups[leaf.parent.name]
    assert all(name != "已停用的细类" for _pk, name in groups[leaf.parent.name])
    leaves = [pk for group in list(groups.values())[1:] for pk, _name in group]
    assert leaf.parent_id not in leaves, "a parent is no leaf"


def test_the_tree_s_leaves_are_the_leaves_the_forms_accept(world):
    """category_tree() decides leaves in Python for the choices; leaf_categories() decides them in SQL
    for validation. They must agree, inactive and parent categories included."""
    leaf = world.category
    FindingCategory.objects.create(name="已停用的细类", parent=leaf.parent, code="zy", is_active=False)
    FindingCategory.objects.create(name="新大类", code="zz")  # a top-level category with no children yet
    _top, leaves = category_tree()
    assert [c.pk for c in leaves] == list(leaf_categories().order_by("order", "code").values_list("pk", flat=True))


def test_a_foreign_inspection_answers_404(world, login):
    client = login(world.users["group2_member"])
    response = client.post(reverse("findings:finding_create"), _post_data(world))
    assert response.status_code == 404


def test_editing_a_finding_under_review_is_turned_away_with_a_reason(world, login):
    client = login(world.users["group1_member"])
    response = client.get(reverse("findings:finding_edit", args=[world.g1.finding.pk]), follow=True)
    assert "只有草稿" in response.content.decode()


def test_send_back_without_comment_says_why_and_stays(world, login):
    Finding.objects.filter(pk=world.g1.draft.pk).update(review_state=ReviewState.LEADER_SIGN)
    client = login(world.users["group1_leader"])
    url = reverse("findings:finding_transition", args=[world.g1.draft.pk])
    response = client.post(url, {"to_state": "draft", "comment": "", "expected_state": "leader_sign"})
    assert response.status_code == 200 and "须填写意见" in response.content.decode()
    assert Finding.objects.get(pk=world.g1.draft.pk).review_state == ReviewState.LEADER_SIGN
    client.post(url, {"to_state": "draft", "comment": "请补充证据", "expected_state": "leader_sign"})
    page = client.get(reverse("findings:finding_detail", args=[world.g1.draft.pk])).content.decode()
    assert "请补充证据" in page and "组长审签 → 草稿" in page


def test_review_buttons_follow_the_role(world, login):
    Finding.objects.filter(pk=world.g1.draft.pk).update(review_state=ReviewState.LEADER_SIGN)
    url = reverse("findings:finding_detail", args=[world.g1.draft.pk])
    assert "审签，列入报告" in login(world.users["group1_leader"]).get(url).content.decode()
    member_page = login(world.users["group1_member"]).get(url).content.decode()
    assert "审签，列入报告" not in member_page and 'id="review"' not in member_page
    assert 'id="review"' not in login(world.users["office"]).get(url).content.decode()


def test_list_filters(world, login):
    Finding.objects.filter(pk=world.g1.draft.pk).update(key_minority=True, immediate=True)
    client = login(world.users["office"])
    url = reverse("findings:finding_list")

    def titles(query):
        page = client.get(url + query).content.decode()
        return {f.title for f in Finding.objects.all() if f.title in page}

    assert titles("?key_minority=1") == {world.g1.draft.title}
    assert titles("?immediate=0") == {world.g1.finding.title, world.g2.finding.title, world.g2.draft.title}
    assert titles("?review_state=draft") == {world.g1.draft.title, world.g2.draft.title}
    assert titles(f"?inspection={world.g2.inspection.pk}") == {world.g2.finding.title, world.g2.draft.title}
    assert titles("?q=公务接待") == {world.g1.draft.title, world.g2.draft.title}
    assert titles(f"?category={world.category.parent_id}") == {f.title for f in Finding.objects.all()}


def _many_findings(world, n, start=100):
    member = world.users["group1_member"]
    rows = [
        Finding(
            inspection=world.g1.inspection,
            seq=start + i,
            category=world.category,
            title=f"批量问题{start + i}",
            description="d",
            source="visit",
            author=member,
        )
        for i in range(n)
    ]
    Finding.objects.bulk_create(rows)
    for f in Finding.objects.filter(seq__gte=start, seq__lt=start + n, inspection=world.g1.inspection):
        Evidence.objects.create(
            finding=f, file=SimpleUploadedFile("x", PDF), original_name="x.pdf", size=1, uploaded_by=member
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["group1_member", "office"])
def test_finding_list_query_count_does_not_grow_with_rows(world, login, persona, django_assert_max_num_queries):
    client = login(world.users[persona])
    url = reverse("findings:finding_list")
    _many_findings(world, 3)
    client.get(url)  # the first request of a session fills per-session caches
    few = _queries(client, url)
    _many_findings(world, 60, start=200)  # a full page of 50 rows now
    many = _queries(client, url)
    assert few == many
    with django_assert_max_num_queries(many):
        client.get(url)


def test_clue_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.users["group1_leader"])
    url = reverse("findings:clue_list")
    client.get(url)
    few = _queries(client, url)
    for i in range(60):
        clue = Clue.objects.create(
            inspection=world.g1.inspection,
            summary=f"批量线索{i}",
            receiving_body="discipline",
            status=ClueStatus.TRANSFERRED,
            transfer_date=world.today - timedelta(days=100),
            letter_number=f"函{i}",
            feedback_due_date=world.today - timedelta(days=10),
            created_by=world.users["group1_leader"],
        )
        CluePerson.objects.create(clue=clue, name=f"人{i}")
    many = _queries(client, url)
    assert few == many
    page = client.get(url).content.decode()
    assert page.count("逾期未反馈") >= 50
    with django_assert_max_num_queries(many):
        client.get(url)


def test_pagination_keeps_the_filters(world, login):
    _many_findings(world, 60)
    page = login(world.users["group1_member"]).get(reverse("findings:finding_list") + "?q=批量").content.decode()
    assert "q=%E6%89%B9%E9%87%8F&amp;page=2" in page and "第 1 / 2 页" in page


def test_clue_form_keeps_people_typed_when_invalid(world, login):
    client = login(world.users["group1_leader"])
    data = {
        "inspection": world.g1.inspection.pk,
        "summary": "",
        "receiving_body": "other",
        "receiving_body_other": "",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "1000",
        "people-0-name": "陈某",
        "people-0-post": "站长",
    }
    page = client.post(reverse("findings:clue_create"), data).content.decode()
    assert "陈某" in page and "站长" in page and "请填写部门名称" in page
    assert Clue.objects.count() == 2


def test_transfer_page_shows_the_default_due_rule_and_the_result(world, login):
    clue = Clue.objects.create(
        inspection=world.g1.inspection, summary="待移交", receiving_body="discipline", created_by=world.users["office"]
    )
    CluePerson.objects.create(clue=clue, name="某")
    client = login(world.users["group1_leader"])
    url = reverse("findings:clue_transfer", args=[clue.pk])
    assert "默认为移交日期后 90 天" in client.get(url).content.decode()
    day = world.today - timedelta(days=1)
    response = client.post(
        url, {"receiving_body": "discipline", "letter_number": "县巡〔2025〕1号", "transfer_date": day.isoformat()}
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert (day + timedelta(days=90)).isoformat() in page and "已移交" in page


def test_jiwei_sees_the_clue_without_a_link_to_the_finding(world, login):
    page = login(world.users["jiwei"]).get(reverse("findings:clue_detail", args=[world.g1.clue.pk])).content.decode()
    assert world.g1.clue.summary in page and "登记处置情况" in page
    assert reverse("findings:finding_detail", args=[world.g1.finding.pk]) not in page


def test_navigation_links_follow_the_role(world, login):
    def nav(persona):
        return login(world.users[persona]).get(reverse("home")).content.decode()

    assert reverse("findings:clue_list") not in nav("group1_member")
    assert f'href="{reverse("findings:finding_list")}"' in nav("group1_member")
    assert reverse("findings:clue_list") in nav("group1_leader")
    jiwei = nav("jiwei")
    assert reverse("findings:clue_list") in jiwei and f'href="{reverse("findings:finding_list")}"' not in jiwei


def test_a_clue_can_start_from_a_finding(world, login):
    client = login(world.users["group1_leader"])
    detail = client.get(reverse("findings:finding_detail", args=[world.g1.finding.pk])).content.decode()
    assert "据此登记线索" in detail
    form = client.get(reverse("findings:clue_create") + f"?finding={world.g1.finding.pk}").content.decode()
    assert f'<option value="{world.g1.finding.pk}" selected>' in form
    # Another group's finding is not offered, whatever the URL says.
    other = client.get(reverse("findings:clue_create") + f"?finding={world.g2.finding.pk}").content.decode()
    assert world.g2.finding.title not in other


def test_the_unit_liaison_does_not_learn_who_drafted(world, login):
    page = login(world.users["liaison"]).get(reverse("findings:finding_list")).content.decode()
    assert world.g1.finding.title in page and "钱组员" not in page
    assert "钱组员" in login(world.users["group1_leader"]).get(reverse("findings:finding_list")).content.decode()


def test_a_bad_filter_value_drops_only_that_filter(world, login):
    client = login(world.users["group1_member"])
    page = client.get(reverse("findings:finding_list") + "?inspection=999999&review_state=draft").content.decode()
    assert world.g1.draft.title in page and world.g1.finding.title not in page


def test_the_findings_list_finds_a_finding_by_its_number(world, login):
    client = login(world.users["office"])
    found = client.get(reverse("findings:finding_list"), {"q": world.g1.finding.number}).context["page_obj"]
    assert [f.pk for f in found] == [world.g1.finding.pk]
    # Searching a word still searches titles and descriptions.
    word = world.g1.finding.title[:2]
    assert world.g1.finding.pk in [
        f.pk for f in client.get(reverse("findings:finding_list"), {"q": word}).context["page_obj"]
    ]


def test_the_findings_list_shows_when_each_finding_was_created_the_order_it_follows(world, login):
    finding = world.g1.finding
    created = timezone.now() - timedelta(days=40)
    Finding.objects.filter(pk=finding.pk).update(created_at=created, updated_at=timezone.now())  # edited since
    page = login(world.users["group1_leader"]).get(reverse("findings:finding_list")).content.decode()
    row = page[page.index(f'<td class="text-nowrap">{finding.number}</td>') :]
    row = row[: row.index("</tr>")]
    assert re.search(r"<th>\s*<a [^>]*>创建时间", page) and "更新时间" not in page
    assert timezone.localtime(created).strftime("%Y-%m-%d %H:%M") in row
    assert timezone.localtime().strftime("%Y-%m-%d") not in row
