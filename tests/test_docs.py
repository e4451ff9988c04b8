"""The README a newcomer reads: product first, the two commands near the top, every link and picture there."""

import re

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_readme_starts_with_the_product_then_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    commands = (
        "```bash\n"
        "make run    # install everything, migrate, load the demo county, serve on http://127.0.0.1:8000\n"
        "make test   # run the whole test suite (unit, permission matrix, browser journeys)\n"
        "```"
    )
    assert commands in readme
    assert readme.index(commands) < readme.index("## Day one for a real county") < readme.index("## Production")
    assert len(readme[: readme.index(commands)].splitlines()) < 40  # near the top
    intro = readme[: readme.index("<img")]
    assert "巡察办" in intro and "整改台账" in intro  # what it is and who uses it, before anything else


def test_day_one_follows_the_order_of_dependence():
    readme = (ROOT / "README.md").read_text()
    day_one = readme[readme.index("## Day one for a real county") : readme.index("## Production")]
    steps = ["巡察对象 (units)", "人才库 (people pool)", "账号与权限", "巡察规划", "轮次与巡察组"]
    positions = [day_one.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "初始化向导" in day_one and "create_office_user" in day_one


def test_internals_live_in_docs_not_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for detail in ("download_token", "data.json", "XUNCHA_REMINDER_LEASE_SECONDS", "COPY in parallel", "write-only"):
        assert detail not in readme, detail
    assert "download_token" in (ROOT / "docs" / "ledgers.md").read_text()
    assert "data.json" in (ROOT / "docs" / "dashboard.md").read_text()
    assert "docs/production.md" in readme


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_and_picture_exists(page):
    text = page.read_text()
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text) + re.findall(r'<img src="([^"]+)"', text)
    for target in targets:
        if re.match(r"[a-z]+://", target):
            continue
        assert (page.parent / target).exists(), f"{page.name} links to a missing {target}"


def test_screenshots_are_there_and_small():
    pictures = sorted((ROOT / "docs" / "img").glob("*.png"))
    assert len(pictures) >= 2
    for picture in pictures:
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert picture.stat().st_size < 300 * 1024, picture.name
