"""Phase 4 of a demo county: feedbacks, rectification tasks with their events and progress reports, and the
upper-level visit.

Every task event is a move of rectification/workflow.py's TRANSITIONS (checked as the course is drawn)."""

from datetime import date, timedelta

from django.utils import timezone

from findings.choices import ReviewState
from rectification.choices import TaskStatus, TermType
from rectification.models import Feedback, ProgressReport, RectificationTask, TaskEvent
from rectification.workflow import rule_for as task_rule
from rounds.choices import Stage, UnitKind
from rounds.models import UnitLiaison

from .base import Steps, through_table
from .texts import GOALS, MEASURES, REJECT_COMMENT, REPORT_TEXTS, SYSTEMS, TASKS_PER_FINDING


class RectificationSteps(Steps):
    """Feedbacks, tasks, events, progress reports and the upper-level visit."""

    def _make_feedbacks(self):
        feedbacks = []
        for insp in self.inspections:
            if insp.stage >= Stage.FEEDBACK:
                r, d = insp.round, insp.feedback_date
                feedbacks.append(
                    Feedback(
                        inspection=insp,
                        date=d,
                        plan_due=d + timedelta(days=r.plan_due_days),
                        report_due=d + timedelta(days=r.report_due_days),
                        assessment_due=d + timedelta(days=r.assessment_due_days),
                        given_by=self._staff_of(insp).leader,
                    )
                )
        self.feedback_of = {f.inspection.pk: f for f in self._save(Feedback, feedbacks)}

    def _make_tasks(self):
        tasks, histories = [], []
        for finding in self.findings:
            start = self._rectification_start(finding)
            if start is None:
                continue
            for k in range(self.rng.choices(*TASKS_PER_FINDING)[0]):
                task, history = self._task(finding, start, first=k == 0)
                tasks.append(task)
                histories.append(history)
        ids = self._insert(RectificationTask, tasks, "tasks")
        events, reports = [], []
        for pk, (task_events, task_reports) in zip(ids, histories, strict=True):
            events += [{"task_id": pk, **e} for e in task_events]
            reports += [{"task_id": pk, **r} for r in task_reports]
        self._insert(TaskEvent, events)
        self._insert(ProgressReport, reports)

    def _rectification_start(self, finding):
        """Fed-back findings start at the feedback; 立行立改 ones as soon as the report is signed."""
        if finding["feedback_id"] is not None:
            return self.feedback_of[finding["inspection_id"]].date
        if finding["immediate"] and finding["review_state"] == ReviewState.REPORTED:
            return finding["updated_at"].date()
        return None

    def _task(self, finding, start: date, *, first: bool):
        rng = self.rng
        unit = self.visit_of[finding["inspection_id"]].unit
        if unit.kind == UnitKind.TOWNSHIP and self.villages_of[unit.pk] and rng.random() < 0.15:
            unit = rng.choice(self.villages_of[unit.pk])  # the township hands part of it to a village
        if finding["immediate"] and first:
            term = TermType.IMMEDIATE
        else:
            term = self._pick({TermType.DEADLINE: 75, TermType.LONG_TERM: 15, TermType.IMMEDIATE: 10})
        span = {TermType.IMMEDIATE: (15, 30), TermType.DEADLINE: (60, 180), TermType.LONG_TERM: (365, 730)}[term]
        due = start + timedelta(days=rng.randint(*span))
        handler = self.handler_of[unit.pk]
        status, progress, events, reports = self._task_course(term, start, due, handler)
        task = {
            "finding_id": finding["id"],
            "round_id": self.rounds[self.visit_of[finding["inspection_id"]].round_no].pk,  # COPY skips save()
            "measure": rng.choice(MEASURES).format(system=rng.choice(SYSTEMS)),
            "goal": rng.choice(GOALS),
            "responsible_leader_id": self.head_of[unit.pk].pk,
            "responsible_unit_id": unit.pk,
            "handler_id": handler.pk,
            "term_type": term,
            "due_date": due,
            "status": status,
            "progress": progress,
            "closed_at": events[-1]["at"] if status == TaskStatus.CLOSED else None,
            "created_at": self._at(start),
        }
        return task, (events, reports)

    def _task_status(self, term, age) -> str:
        """Young tasks are mostly open; after half a year most are closed, except long-term ones."""
        S = TaskStatus
        if age < 30:
            weights = {S.NOT_STARTED: 50, S.IN_PROGRESS: 42, S.SUBMITTED: 6, S.CLOSED: 2}
        elif age < 180:
            weights = {S.NOT_STARTED: 5, S.IN_PROGRESS: 40, S.SUBMITTED: 20, S.CLOSED: 35}
        elif term == TermType.LONG_TERM:
            weights = {S.IN_PROGRESS: 40, S.SUBMITTED: 5, S.CLOSED: 55}
        else:
            weights = {S.NOT_STARTED: 1, S.IN_PROGRESS: 5, S.SUBMITTED: 2, S.CLOSED: 92}
        return self._pick(weights)

    def _task_course(self, term, start: date, due: date, handler):
        """The status with the events and progress reports that led to it, dated between start and today."""
        rng, today = self.rng, self.today
        status = self._task_status(term, (today - start).days)
        S = TaskStatus
        moves = []
        if status != S.NOT_STARTED:
            moves.append((S.NOT_STARTED, S.IN_PROGRESS, handler, ""))
        if status in (S.SUBMITTED, S.CLOSED):
            if rng.random() < 0.08:
                moves += [
                    (S.IN_PROGRESS, S.SUBMITTED, handler, ""),
                    (S.SUBMITTED, S.IN_PROGRESS, self.office, REJECT_COMMENT),
                ]
            moves.append((S.IN_PROGRESS, S.SUBMITTED, handler, "整改完成，申请销号"))
        if status == S.CLOSED:
            moves.append((S.SUBMITTED, S.CLOSED, self.office, "经核查，整改到位，予以销号"))
        through_table(moves, task_rule, S.NOT_STARTED)
        began = min(self._day(start + timedelta(days=1), min(start + timedelta(days=15), today)), today)
        finish = self._day(began, min(max(due, began), today))
        days = [began] + sorted(self._day(began, finish) for _ in moves[1:]) if moves else []
        events = [
            {"from_status": a, "to_status": b, "actor_id": actor.pk, "comment": comment, "at": self._at(day, step)}
            for step, ((a, b, actor, comment), day) in enumerate(zip(moves, days, strict=True))
        ]
        progress = {S.NOT_STARTED: 0, S.IN_PROGRESS: rng.randrange(10, 100, 10)}.get(status, 100)
        reports = []
        if status != S.NOT_STARTED and (status != S.CLOSED or rng.random() < 0.2):
            n = 1 if status == S.CLOSED else rng.randint(1, 2)
            report_days = sorted(self._day(began, days[-1]) for _ in range(n))
            for i, day in enumerate(report_days, start=1):
                reports.append(
                    {
                        "text": REPORT_TEXTS[-1] if progress == 100 and i == n else rng.choice(REPORT_TEXTS[:3]),
                        "progress": progress * i // n,
                        "author_id": handler.pk,
                        "created_at": self._at(day, i),
                    }
                )
        return status, progress, events, reports

    def _make_upper_visit(self):
        """One provincial visit with a few requests to the county's departments, through the services: one
        confirmed, one reported, one in hand, one overdue (so the reminder sweep has something to say)."""
        from rectification.services import upper as us

        today = timezone.localdate()
        liaison = self.accounts["liaison"]  # the demo's unit liaison owns them: log in as liaison to answer
        unit = UnitLiaison.objects.get(user=liaison).unit
        visit = us.visit_create(
            actor=self.office,
            level="province",
            team="省委第三巡视组",
            target="县委",
            start_date=today - timedelta(days=40),
            liaison_office="县委办公室联络协调组",
            contacts="县委办副主任 13800000000",
        )
        plans = [
            ("documents", "调阅近三年县委常委会会议纪要", -30, -20, ["doing", "submitted", "confirmed"]),
            ("interviews", "安排县直部门主要负责人个别谈话", -10, 5, ["doing", "submitted"]),
            ("explanation", "说明县城投公司政府隐性债务情况", -5, 10, ["doing"]),
            ("petitions", "办理巡视组转办的群众来信", -20, -3, []),
        ]
        for kind, title, asked, due, steps in plans:
            request = us.request_create(
                actor=self.office,
                visit=visit,
                kind=kind,
                title=title,
                requested_date=today + timedelta(days=asked),
                owner_unit=unit,
                owner=liaison,
                due_date=today + timedelta(days=due),
            )
            for step in steps:
                who = self.office if step == "confirmed" else liaison
                reply = "已按要求报送。" if step == "submitted" else ""
                request = us.request_transition(actor=who, request=request, to_status=step, reply=reply)
            self.counts["upper_requests"] += 1
