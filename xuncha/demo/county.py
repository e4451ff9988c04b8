"""Building one county of demo data (see the package docstring): the phases, in the order the work happens,
are mixins in people.py, schedule.py, findings.py and rectification.py over base.Steps."""

import random
import time as clock
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from findings.models import FindingCategory

from .base import SEED, County
from .findings import FindingSteps
from .people import PeopleSteps
from .rectification import RectificationSteps
from .schedule import ScheduleSteps


def build_county(number: int, *, volume: float, password_hash: str) -> tuple[int, Counter, float]:
    """One county in one transaction; also what a worker process runs."""
    started = clock.monotonic()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Seed data can be rebuilt: a crash loses whole counties at worst, so don't wait for each WAL flush.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        counts = CountyBuilder(County(number), volume=volume, password_hash=password_hash).build()
    return number, counts, clock.monotonic() - started


class CountyBuilder(PeopleSteps, ScheduleSteps, FindingSteps, RectificationSteps):
    """Builds one county, in the order the work happens: registry, people, plan, rounds, inspections,
    findings and clues, feedback and rectification."""

    def __init__(self, county: County, *, volume: float, password_hash: str):
        self.county = county
        self.rng = random.Random(f"{SEED}-{county.number}")
        self.volume = volume
        self.password_hash = password_hash
        self.today = timezone.localdate()
        self.now = timezone.localtime()
        self.tz = timezone.get_current_timezone()
        self.counts = Counter()
        self.categories = list(FindingCategory.objects.filter(children__isnull=True, is_active=True).order_by("code"))
        self.letter_seq = Counter()
        self.copy = not county.demo and connection.vendor == "postgresql"

    def build(self) -> Counter:
        self._make_accounts()
        self._make_units()
        visits = self._schedule()
        self._make_inspectors(visits)
        self._make_plan(visits)
        self._make_rounds(visits)
        self._make_groups(visits)
        self._make_inspections(visits)
        self._staff_groups(visits)
        self._close_finished_rounds()
        self._make_feedbacks()
        self._make_findings()
        self._make_clues()
        self._make_tasks()
        if self.county.demo:
            self._make_liaisons()
            self._make_reports()
            from .after_feedback import make as make_after_feedback

            make_after_feedback(self)
            self._make_petitions()
            self._make_upper_visit()
        return self.counts
