"""seed_demo: the demo county, or N counties' volume for benchmarks (xuncha/demo/ builds them)."""

import multiprocessing
import os
import time as clock
import unicodedata
from functools import partial

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from rounds.models import UnitLiaison
from xuncha import dataversion
from xuncha.demo.base import ACCOUNTS, DEMO_PASSWORD, TASKS_PER_COUNTY, County, given_timestamps
from xuncha.demo.county import build_county


class Command(BaseCommand):
    help = "生成演示数据：一个县的巡察工作全貌及各角色演示账号；--scale N 生成 N 个县的数据量用于性能测试。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="县的数量（默认 1：演示县）")
        parser.add_argument(
            "--tasks-per-county", type=int, default=TASKS_PER_COUNTY, help="每县整改任务的大致数量（默认 20000）"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="并行生成的进程数（PostgreSQL；默认为 CPU 数，至多 4；SQLite 恒为 1）",
        )

    def handle(self, *, scale, tasks_per_county, jobs, **options):
        if scale < 1 or tasks_per_county < 1:
            raise CommandError("--scale 和 --tasks-per-county 须为正整数。")
        missing = [n for n in range(1, scale + 1) if not County(n).present()]
        if not missing:
            self.stdout.write("演示数据已存在（office 账号和巡察工作规划均在），未做任何修改。")
            self._print_accounts()
            return

        build = partial(
            build_county, volume=tasks_per_county / TASKS_PER_COUNTY, password_hash=make_password(DEMO_PASSWORD)
        )
        if jobs is None:
            jobs = min(4, os.cpu_count() or 1)
        if connection.vendor == "sqlite" or connection.in_atomic_block:
            jobs = 1  # SQLite has one writer at a time; workers could not see a caller's open transaction
        started = clock.monotonic()
        with given_timestamps():
            if missing[0] == 1:  # the demo county first: the others do not depend on it, but people look at it
                self._report(*build(missing.pop(0)))
            if jobs > 1 and len(missing) > 1:
                # Counties are independent: workers overlap one county's Python with another's database time.
                connections.close_all()  # each worker opens its own connection
                with multiprocessing.get_context("fork").Pool(jobs) as pool:
                    for result in pool.imap_unordered(build, missing):
                        self._report(*result)
            else:
                for number in missing:
                    self._report(*build(number))
        dataversion.bump()  # rows went in by COPY and bulk_create, which send no post_save
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {clock.monotonic() - started:.1f} 秒。"))
        self._print_accounts()

    def _report(self, number, counts, seconds):
        self.stdout.write(
            f"{County(number).label}：巡察对象 {counts['units']} 个，巡察任务 {counts['inspections']} 项，"
            f"问题 {counts['findings']} 条，线索 {counts['clues']} 条，整改任务 {counts['tasks']} 项"
            f"（{seconds:.1f} 秒）"
        )

    def _print_accounts(self):
        self.stdout.write(f"\n演示账号（统一密码 {DEMO_PASSWORD}）：")
        self.stdout.write(_pad("用户名", 16) + _pad("角色", 40) + "密码")
        for username, role, _name in ACCOUNTS:
            if username == "liaison":
                unit = UnitLiaison.objects.filter(user__username=username).values_list("unit__name", flat=True).first()
                role = f"{role}（{unit}）" if unit else role
            self.stdout.write(_pad(username, 16) + _pad(role, 40) + DEMO_PASSWORD)


def _pad(text: str, width: int) -> str:
    """Pad for a terminal, where a Chinese character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 1)
