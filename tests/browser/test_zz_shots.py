import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_shots(world, page, log_in):
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in("office")
    for name, url in [
        ("units", reverse("rounds:unit_list")),
        ("group", reverse("rounds:group_detail", args=[world.g1.group.pk])),
        ("inspection", reverse("rounds:inspection_detail", args=[world.g1.inspection.pk])),
        ("plan", reverse("rounds:plan_detail", args=[world.plan.pk])),
        ("inspectors", reverse("rounds:inspector_list")),
        ("round", reverse("rounds:round_detail", args=[world.round.pk])),
    ]:
        page.goto(url)
        page.screenshot(path=f"/tmp/i3shots/{name}.png", full_page=True)
    page.click("text=退出")
    log_in("group1_member")
    page.goto(reverse("rounds:my_inspections"))
    page.screenshot(path="/tmp/i3shots/my.png", full_page=True)
