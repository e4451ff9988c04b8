"""Phase 3 of a demo county: findings with their 三审 history, clues and their transfer, reports and petitions.

Every review step is a move of findings/workflow.py's TRANSITIONS (checked as the steps are drawn)."""

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from findings.choices import ClueStatus, Disposition, Outcome, ReceivingBody, ReviewState, Source
from findings.models import Clue, CluePerson, Finding, FindingReview
from findings.workflow import rule_for as review_rule
from rounds.choices import InspectionKind, Stage, UnitKind

from .base import STATIONED_DAYS, Steps, through_table
from .texts import (
    CLUE_SUMMARIES,
    FINDING_DETAILS,
    FINDING_TITLES,
    FINDINGS_PER_INSPECTION,
    FOLLOW_UP_FINDINGS,
    OUTCOMES,
    POSTS,
    SOURCE_WEIGHTS,
    SURNAMES,
)


class FindingSteps(Steps):
    """Findings, reviews, clues, reports and petitions."""

    def _finding_count(self, insp) -> int:
        v = self.visit_of[insp.pk]
        if v.kind in (InspectionKind.LOOKBACK, InspectionKind.ASSESSMENT):
            lo, hi = FOLLOW_UP_FINDINGS
        else:
            lo, hi = FINDINGS_PER_INSPECTION[v.unit.kind]
        share = {Stage.PREPARATION: 0, Stage.STATIONED: 0.15, Stage.UNDERSTANDING: 0.6}.get(insp.stage, 1)
        expected = self.rng.randint(lo, hi) * share * self.volume
        return int(expected) + (self.rng.random() < expected % 1)

    def _review_state(self, stage) -> str:
        if stage >= Stage.FEEDBACK:
            return ReviewState.REPORTED
        weights = {
            Stage.STATIONED: {ReviewState.DRAFT: 1},
            Stage.UNDERSTANDING: {ReviewState.DRAFT: 45, ReviewState.DEPUTY_REVIEW: 35, ReviewState.LEADER_SIGN: 20},
            Stage.REPORTING: {
                ReviewState.DRAFT: 10,
                ReviewState.DEPUTY_REVIEW: 20,
                ReviewState.LEADER_SIGN: 30,
                ReviewState.REPORTED: 40,
            },
        }[stage]
        return self._pick(weights)

    def _make_findings(self):
        findings, reviews = [], []
        for insp in self.inspections:
            staff, v = self._staff_of(insp), self.visit_of[insp.pk]
            feedback = self.feedback_of.get(insp.pk)
            # Drafted while on site; reviewed before the feedback (or by today).
            last = feedback.date - timedelta(days=1) if feedback else self.today
            for seq in range(1, self._finding_count(insp) + 1):
                finding, steps = self._finding(insp, v, seq, staff, min(v.onsite_end, self.today), last)
                finding["feedback_id"] = feedback.pk if feedback else None
                findings.append(finding)
                reviews.append(steps)
        ids = self._insert(Finding, findings, "findings")
        self._insert(
            FindingReview,
            [
                {"finding_id": pk, "from_state": a, "to_state": b, "actor_id": actor.pk, "comment": comment, "at": at}
                for pk, steps in zip(ids, reviews, strict=True)
                for a, b, actor, comment, at in steps
            ],
        )
        for pk, finding in zip(ids, findings, strict=True):
            finding["id"] = pk
        self.findings = findings

    def _finding(self, insp, v, seq, staff, drafted_by, last):
        rng = self.rng
        category = rng.choice(self.categories)
        title = rng.choice(FINDING_TITLES.get(category.code, [category.name])).format(amount=rng.randint(2, 300))
        source = self._pick(SOURCE_WEIGHTS)
        state = self._review_state(insp.stage)
        author = rng.choice(staff.writers)
        created = self._at(self._day(v.entry + timedelta(days=1), drafted_by))
        steps = self._review_steps(state, created.date(), last, author, staff)
        description = (
            f"{Source(source).label}中发现：{v.unit.name.removeprefix(self.county.prefix)}{title}。"
            + rng.choice(FINDING_DETAILS).format(year=v.entry.year - 2, k=rng.randint(2, 15))
        )
        finding = {
            "inspection_id": insp.pk,
            "seq": seq,
            "category_id": category.pk,
            "title": title,
            "description": description,
            "source": source,
            "key_minority": rng.random() < 0.15,
            "immediate": rng.random() < 0.1,
            "review_state": state,
            "author_id": author.pk,
            "created_at": created,
            "updated_at": steps[-1][4] if steps else created,
        }
        return finding, steps

    def _review_steps(self, state, start: date, last: date, author, staff) -> list[tuple]:
        """三审 up to `state`: the author submits, the deputy reviews, the leader signs; sometimes sent back once."""
        rng = self.rng
        order = [ReviewState.DRAFT, ReviewState.DEPUTY_REVIEW, ReviewState.LEADER_SIGN, ReviewState.REPORTED]
        moves = []
        for i in range(order.index(state)):
            if i == 0:
                moves.append((order[0], order[1], author, ""))
            elif i == 1:
                if rng.random() < 0.08:
                    moves.append((order[1], order[0], staff.deputy, "请补充佐证材料，核实涉及金额"))
                    moves.append((order[0], order[1], author, "已补充"))
                moves.append((order[1], order[2], staff.deputy, "事实清楚，同意报组长审签"))
            else:
                moves.append((order[2], order[3], staff.leader, "同意，列入巡察报告"))
        through_table(moves, review_rule, ReviewState.DRAFT)
        days = sorted(self._day(start, last) for _ in moves)
        # Step 0 of the day is the drafting itself.
        return [
            (a, b, actor, comment, self._at(day, step + 1))
            for step, ((a, b, actor, comment), day) in enumerate(zip(moves, days, strict=True))
        ]

    def _make_clues(self):
        by_inspection = defaultdict(list)
        for f in self.findings:
            by_inspection[f["inspection_id"]].append(f["id"])
        clues, people = [], []
        for insp in self.inspections:
            if insp.stage < Stage.UNDERSTANDING:
                continue
            found = by_inspection[insp.pk]
            n = round(len(found) * 0.04 * self.rng.uniform(0.5, 1.5))
            if insp.unit.kind != UnitKind.VILLAGE:
                n = max(n, 1)  # every group has clue work to show
            for _ in range(n):
                clue, persons = self._clue(insp, found)
                clues.append(clue)
                people.append(persons)
        clues = self._save(Clue, clues, "clues")
        self._save(
            CluePerson,
            [
                CluePerson(clue=c, name=name, post=post, rank=rank)
                for c, ps in zip(clues, people, strict=True)
                for name, post, rank in ps
            ],
        )

    def _clue(self, insp, found):
        rng, v, today = self.rng, self.visit_of[insp.pk], self.today
        persons = [(self._person_name(), *rng.choice(POSTS[v.unit.kind])) for _ in range(rng.choice((1, 1, 2)))]
        body = self._pick({ReceivingBody.DISCIPLINE: 80, ReceivingBody.ORGANISATION: 15, ReceivingBody.OTHER: 5})
        clue = Clue(
            inspection=insp,
            finding_id=rng.choice(found) if found and rng.random() < 0.7 else None,
            summary=rng.choice(CLUE_SUMMARIES).format(name=persons[0][0]) + "。",
            receiving_body=body,
            receiving_body_other="县审计局" if body == ReceivingBody.OTHER else "",
            created_by=self._staff_of(insp).leader,
            created_at=self._at(self._day(v.entry + timedelta(days=STATIONED_DAYS), min(v.onsite_end, today))),
        )
        transferable = insp.stage >= Stage.FEEDBACK or (insp.stage == Stage.REPORTING and rng.random() < 0.5)
        if transferable and v.onsite_end + timedelta(days=3) <= self.today:
            self._transfer(clue, v)
        return clue, persons

    def _transfer(self, clue, v):
        """移交 after the onsite work, feedback due in three months; most are answered, some are late."""
        rng, today = self.rng, self.today
        transferred = self._day(v.onsite_end + timedelta(days=3), min(v.onsite_end + timedelta(days=25), today))
        self.letter_seq[transferred.year] += 1
        clue.status = ClueStatus.TRANSFERRED
        clue.transfer_date = transferred
        clue.letter_number = f"{self.county.letter_prefix}〔{transferred.year}〕{self.letter_seq[transferred.year]}号"
        clue.feedback_due_date = transferred + timedelta(days=90)
        age = (today - transferred).days
        if age > 20 and rng.random() < min(0.9, age / 120):
            clue.disposition = self._pick(
                {Disposition.TALK: 35, Disposition.VERIFY: 30, Disposition.SHELVE: 10, Disposition.CLOSE: 25}
            )
            clue.outcome = rng.choice(OUTCOMES[clue.disposition])
            clue.outcome_detail = f"经{Disposition(clue.disposition).label}，处理结果：{Outcome(clue.outcome).label}。"
            clue.status = ClueStatus.ANSWERED
            clue.answered_date = self._day(
                transferred + timedelta(days=20), min(transferred + timedelta(days=120), today)
            )
        elif age > 10 and rng.random() < 0.5:
            clue.disposition = rng.choice([Disposition.TALK, Disposition.VERIFY])  # under way, no outcome yet

    def _make_reports(self):
        """巡察报告 for the latest two rounds, written and reviewed through the services as people would:
        an inspection still reporting has a draft (some put to the 组务会); one fed back has a final report."""
        from findings import report_services
        from findings.choices import ReportState

        latest = sorted(self.rounds)[-2:]
        leadership = self.accounts["leadership"]
        today = timezone.localdate()
        for insp in self.inspections:
            v = self.visit_of[insp.pk]
            if v.round_no not in latest or insp.stage < Stage.REPORTING:
                continue
            leader = self._staff_of(insp).leader
            report = report_services.report_create(actor=leader, inspection=insp)
            steps = [(leader, ReportState.GROUP_MEETING, "")]
            if insp.stage >= Stage.FEEDBACK:
                steps += [
                    (leader, ReportState.OFFICE_CONSULT, "组务会讨论通过"),
                    (self.office, ReportState.LEADERSHIP_REVIEW, "组办会商通过"),
                    (leadership, ReportState.SECRETARY_MEETING, "领导小组审议通过"),
                    (leadership, ReportState.FINAL, "原则同意，按意见修改后反馈"),
                ]
            elif self.rng.random() < 0.5:
                continue  # still a draft
            day = min(insp.onsite_end_date or today, today)
            for actor, to_state, comment in steps:
                report = report_services.report_transition(
                    actor=actor, report=report, to_state=to_state, meeting_date=day, comment=comment
                )
                day = min(day + timedelta(days=3), today)
            self.counts["reports"] += 1

    def _make_petitions(self):
        """A few 巡察信访 in the latest round's first inspections (received, one assigned, one closed) and two the
        office received county-wide; through the services, so each inspection's 受理信访件数 is its register's."""
        from findings import petition_services as ps
        from findings.choices import PetitionChannel, PetitionRoute

        today = timezone.localdate()
        latest = max(self.rounds)
        on_site = [i for i in self.inspections if self.visit_of[i.pk].round_no == latest and i.stage >= Stage.STATIONED]
        channels = list(PetitionChannel)
        for n, insp in enumerate(sorted(on_site, key=lambda i: i.pk)[:3]):
            leader = self._staff_of(insp).leader
            received = min(insp.entry_date or today, today)
            for k in range(2):
                petition = ps.petition_create(
                    actor=leader,
                    inspection=insp,
                    received_date=received,
                    channel=channels[(n * 2 + k) % len(channels)],
                    petitioner_name="" if k else self._person_name(),
                    subject_unit=insp.unit,
                    subject_person=f"{self.rng.choice(SURNAMES)}某",
                    summary=CLUE_SUMMARIES[(n * 2 + k) % len(CLUE_SUMMARIES)],
                )
                self.counts["petitions"] += 1
                if k == 0 and n < 2:
                    petition = ps.petition_transition(
                        actor=leader, petition=petition, to_status="assigned", on=received, route=PetitionRoute.GROUP
                    )
                if k == 0 and n == 0:
                    ps.petition_transition(
                        actor=leader,
                        petition=petition,
                        to_status="closed",
                        on=received,
                        reply="经核实，已纳入问题底稿。",
                    )
        for channel in (PetitionChannel.LETTER, PetitionChannel.QR):
            ps.petition_create(
                actor=self.office,
                received_date=today - timedelta(days=7),
                channel=channel,
                petitioner_name=self._person_name(),
                summary="反映某乡镇村级财务公开不及时。",
            )
            self.counts["petitions"] += 1
