"""Phase 2 of a demo county: the plan, its rounds and groups, who inspects which unit when, and each stage."""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth.models import Group, User

from rounds.choices import InspectionKind, MemberRole, RoundStatus, Stage, UnitKind
from rounds.models import (
    GroupMembership,
    Inspection,
    InspectionGroup,
    InspectionGroupGroupObjectPermission,
    InspectionGroupUserObjectPermission,
    Milestone,
    Plan,
    PlanUnit,
    Round,
)
from rounds.services import LEAD_PERM, WORK_PERM, group_create, membership_add, round_update

from .base import (
    ARCHIVED_AFTER_DAYS,
    BATCH_OFFSET_DAYS,
    GROUP_NAMES,
    LATEST_ROUND_AGE_DAYS,
    MILESTONES,
    PERSONAS,
    PLAN_YEARS,
    RECTIFICATION_AFTER_DAYS,
    ROUND_SPACING_DAYS,
    ROUNDS,
    STATIONED_DAYS,
    THEMES,
    Staff,
    Steps,
    Visit,
    _permission,
)


class ScheduleSteps(Steps):
    """Plan, rounds, groups, inspections and memberships."""

    def _anchor(self, round_no) -> date:
        """The entry day of a round's first batch."""
        return self.today - timedelta(days=LATEST_ROUND_AGE_DAYS + (ROUNDS - round_no) * ROUND_SPACING_DAYS)

    def _schedule(self) -> list[Visit]:
        """Spread every unit over the rounds (a township with its villages), then add 回头看/整改评估."""
        rng = self.rng
        self.group_count = {r: 4 if r == ROUNDS else rng.choice((2, 3, 3, 4)) for r in range(1, ROUNDS + 1)}
        per_round_t = len(self.townships) // ROUNDS
        per_round_o = len(self.others) // ROUNDS
        visits = []
        for r in range(1, ROUNDS + 1):
            units = (
                self.townships[(r - 1) * per_round_t : r * per_round_t]
                + self.others[(r - 1) * per_round_o : r * per_round_o]
            )
            if r == ROUNDS:  # whatever the division left over
                units += self.townships[r * per_round_t :] + self.others[r * per_round_o :]
            n_groups = self.group_count[r]
            # The latest round's last batch enters after today: those units are not yet covered, as at
            # any real point of a term, so the dashboard has uncovered units to show.
            batches = 5 if r == ROUNDS else 4
            for g in range(1, n_groups + 1):
                mine = units[g - 1 :: n_groups]
                for i, unit in enumerate(mine):
                    batch = min(i * batches // max(len(mine) - 1, 1), batches - 1)
                    visits.append(self._visit(r, g, unit, self._kind(unit, r), batch))
                    for village in self.villages_of.get(unit.pk, []):
                        visits.append(self._visit(r, g, village, self._kind(village, r), batch))
            visits += self._follow_ups(r, visits)
        return visits

    def _kind(self, unit, round_no) -> str:
        if unit.kind == UnitKind.VILLAGE:
            return self._pick({InspectionKind.VILLAGE: 80, InspectionKind.ELEVATED: 10, InspectionKind.CROSS: 10})
        if unit.kind != UnitKind.TOWNSHIP and round_no in THEMES:
            return InspectionKind.SPECIAL
        return self._pick({InspectionKind.REGULAR: 90, InspectionKind.MOBILE: 10})

    def _follow_ups(self, r, visits) -> list[Visit]:
        """A 回头看 of a unit inspected three or more rounds ago, and a 整改评估 of one from two rounds ago."""
        latest, rng = r == ROUNDS, self.rng
        n_groups = self.group_count[r]
        extra = []
        done = {(v.unit.pk, v.kind) for v in visits}

        def candidates(rounds):
            return [
                v.unit
                for v in visits
                if v.round_no in rounds
                and v.unit.kind != UnitKind.VILLAGE
                and v.kind not in (InspectionKind.LOOKBACK, InspectionKind.ASSESSMENT)
            ]

        if r >= 5:
            pool = [u for u in candidates(range(1, r - 2)) if (u.pk, InspectionKind.LOOKBACK) not in done]
            # In the latest round it is still being prepared, so that every stage occurs.
            extra.append(
                self._visit(
                    r, r % n_groups + 1, rng.choice(pool), InspectionKind.LOOKBACK, 4 if latest else rng.randint(1, 3)
                )
            )
        if r >= 4:
            pool = [u for u in candidates([r - 2]) if (u.pk, InspectionKind.ASSESSMENT) not in done]
            extra.append(
                self._visit(
                    r,
                    (r + 1) % n_groups + 1,
                    rng.choice(pool),
                    InspectionKind.ASSESSMENT,
                    3 if latest else rng.randint(1, 3),
                )
            )
        return extra

    def _visit(self, r, g, unit, kind, batch) -> Visit:
        """Dates follow from the round's anchor and the batch; the stage follows from the dates and today.
        The latest round has no jitter so that each of its batches lands in a known stage."""
        rng, latest = self.rng, r == ROUNDS
        entry = self._anchor(r) + timedelta(days=batch * BATCH_OFFSET_DAYS + (0 if latest else rng.randint(0, 4)))
        onsite_end = entry + timedelta(days=35 if latest else rng.randint(30, 40))
        feedback = onsite_end + timedelta(days=15 if latest else rng.randint(10, 20))
        visit = Visit(r, g, unit, kind, entry, onsite_end, feedback)
        visit.stage = self._stage(visit)
        return visit

    def _stage(self, v: Visit) -> int:
        today = self.today
        if today < v.entry:
            return Stage.PREPARATION
        if today < v.entry + timedelta(days=STATIONED_DAYS):
            return Stage.STATIONED
        if today < v.onsite_end:
            return Stage.UNDERSTANDING
        if today < v.feedback:
            return Stage.REPORTING
        if today < v.feedback + timedelta(days=RECTIFICATION_AFTER_DAYS):
            return Stage.FEEDBACK
        if today < v.feedback + timedelta(days=ARCHIVED_AFTER_DAYS):
            return Stage.RECTIFICATION
        return Stage.ARCHIVED

    def _make_plan(self, visits):
        rng = self.rng
        self.plan = self._save(
            Plan, [Plan(name=self.county.plan_name, start_year=PLAN_YEARS[0], end_year=PLAN_YEARS[1])]
        )[0]
        covering = {v.unit.pk: v for v in visits if v.kind not in (InspectionKind.LOOKBACK, InspectionKind.ASSESSMENT)}
        scope = []
        for unit_id, visit in covering.items():
            year = visit.entry.year
            if rng.random() < 0.1:  # plans are made ahead; some units moved a year since
                year += rng.choice((-1, 1))
            scope.append(
                PlanUnit(plan=self.plan, unit_id=unit_id, planned_year=min(max(year, PLAN_YEARS[0]), PLAN_YEARS[1]))
            )
        self._save(PlanUnit, scope)
        self._save(Milestone, [Milestone(plan=self.plan, year=y, target_rate=rate) for y, rate in MILESTONES.items()])

    def _make_rounds(self, visits):
        open_rounds = {v.round_no for v in visits if v.stage < Stage.ARCHIVED}
        # Every round is formed while open (a finished round takes no new members); the finished ones close
        # once their groups are staffed (_close_finished_rounds).
        self.finished_rounds = [r for r in range(1, ROUNDS + 1) if r not in open_rounds]
        rounds = []
        for r in range(1, ROUNDS + 1):
            start = self._anchor(r) - timedelta(days=7)  # 动员部署会 a week before entry
            rounds.append(
                Round(
                    plan=self.plan,
                    number=r,
                    year=start.year,
                    start_date=start,
                    end_date=start + timedelta(days=120),
                    theme=THEMES.get(r, ""),
                    status=RoundStatus.ACTIVE,
                )
            )
        self.rounds = {r.number: r for r in self._save(Round, rounds)}

    def _make_groups(self, visits):
        keys = sorted({(v.round_no, v.group_no) for v in visits})
        if self.county.demo:
            self.groups = {
                (r, g): group_create(actor=self.office, round=self.rounds[r], name=GROUP_NAMES[g - 1]) for r, g in keys
            }
            return
        # Counties beyond the demo: what group_create does, in bulk.
        auth_groups = self._save(
            Group, [Group(name=f"巡察组#{self.rounds[r].pk}-{GROUP_NAMES[g - 1]}") for r, g in keys]
        )
        groups = self._save(
            InspectionGroup,
            [
                InspectionGroup(round=self.rounds[r], name=GROUP_NAMES[g - 1], order=g, auth_group=ag)
                for (r, g), ag in zip(keys, auth_groups, strict=True)
            ],
        )
        work = _permission(WORK_PERM)
        self._save(
            InspectionGroupGroupObjectPermission,
            [
                InspectionGroupGroupObjectPermission(group=g.auth_group, permission=work, content_object=g)
                for g in groups
            ],
        )
        self.groups = dict(zip(keys, groups, strict=True))

    def _make_inspections(self, visits):
        rng = self.rng
        inspections = []
        for v in visits:
            s = v.stage
            inspections.append(
                Inspection(
                    round=self.rounds[v.round_no],
                    group=self.groups[(v.round_no, v.group_no)],
                    unit=v.unit,
                    kind=v.kind,
                    stage=s,
                    stage_changed_at=self._stage_changed_at(v),
                    entry_date=v.entry if s >= Stage.STATIONED else None,
                    onsite_end_date=v.onsite_end if s >= Stage.REPORTING else None,
                    feedback_date=v.feedback if s >= Stage.FEEDBACK else None,
                    **self._counters(v, rng),
                )
            )
        self.inspections = self._save(Inspection, inspections, "inspections")
        self.visit_of = {i.pk: v for i, v in zip(self.inspections, visits, strict=True)}

    def _stage_changed_at(self, v: Visit):
        day = {
            Stage.PREPARATION: None,
            Stage.STATIONED: v.entry,
            Stage.UNDERSTANDING: v.entry + timedelta(days=STATIONED_DAYS),
            Stage.REPORTING: v.onsite_end,
            Stage.FEEDBACK: v.feedback,
            Stage.RECTIFICATION: v.feedback + timedelta(days=RECTIFICATION_AFTER_DAYS),
            Stage.ARCHIVED: v.feedback + timedelta(days=ARCHIVED_AFTER_DAYS),
        }[v.stage]
        return self._at(day) if day else None

    @staticmethod
    def _counters(v: Visit, rng) -> dict:
        """了解问题的途径: a village is smaller; counts grow while the group is on site."""
        share = {Stage.PREPARATION: 0, Stage.STATIONED: 0.2, Stage.UNDERSTANDING: 0.7}.get(v.stage, 1)
        small = v.unit.kind == UnitKind.VILLAGE
        ranges = {
            "interviews": (10, 30) if small else (40, 150),
            "documents": (30, 120) if small else (100, 600),
            "questionnaires": (20, 80) if small else (50, 300),
            "visits": (3, 15) if small else (5, 40),
            "petitions": (0, 8) if small else (0, 30),
        }
        return {name: int(rng.randint(lo, hi) * share) for name, (lo, hi) in ranges.items()}

    def _staff_groups(self, visits):
        """Leader from the 组长库, a deputy, a liaison and members; nobody in two groups of a round, and never
        in a group one of whose units they must avoid (回避). The demo personas sit only in the latest round."""
        units_of = defaultdict(set)
        for v in visits:
            units_of[(v.round_no, v.group_no)].add(v.unit.pk)
        persona_ids = {p.pk for p in self.personas.values()}
        pool = [p for p in self.inspectors if p.pk not in persona_ids]
        self.staff, plan = {}, []
        for r in range(1, ROUNDS + 1):
            used = set()
            for g in range(1, self.group_count[r] + 1):
                members = self._pick_members(r, g, units_of[(r, g)], pool, used)
                plan += [(self.groups[(r, g)], p, role) for p, role in members]
                by_role = defaultdict(list)
                for p, role in members:
                    by_role[role].append(p.user)
                self.staff[(r, g)] = Staff(
                    leader=by_role[MemberRole.LEADER][0],
                    deputy=by_role[MemberRole.DEPUTY][0],
                    writers=by_role[MemberRole.MEMBER] + by_role[MemberRole.LIAISON] + by_role[MemberRole.DEPUTY],
                )
        if self.county.demo:
            for group, person, role in plan:
                membership_add(actor=self.office, group=group, inspector=person, role=role)
        else:
            self._bulk_memberships(plan)

    def _close_finished_rounds(self):
        rounds = [self.rounds[r] for r in self.finished_rounds]
        if self.county.demo:
            for round_ in rounds:
                round_update(actor=self.office, round=round_, status=RoundStatus.CLOSED)
        else:
            Round.objects.filter(pk__in=[r.pk for r in rounds]).update(status=RoundStatus.CLOSED)
        for round_ in rounds:
            round_.status = RoundStatus.CLOSED

    def _pick_members(self, r, g, units, pool, used) -> list[tuple]:
        fixed = [(p, PERSONAS[name][1]) for name, p in self.personas.items() if r == ROUNDS and PERSONAS[name][0] == g]
        roles = [MemberRole.DEPUTY, MemberRole.LIAISON] + [MemberRole.MEMBER] * self.rng.randint(2, 4)
        if not any(role == MemberRole.LEADER for _, role in fixed):
            roles.insert(0, MemberRole.LEADER)
        members = list(fixed)
        used |= {p.pk for p, _ in fixed}
        for role in roles:
            free = [p for p in pool if p.pk not in used and not (self.avoided[p.pk] & units)]
            if role == MemberRole.LEADER:
                free = [p for p in free if p.in_leader_pool]
            person = self.rng.choice(free)
            used.add(person.pk)
            members.append((person, role))
        return members

    def _bulk_memberships(self, plan):
        """What membership_add grants, in bulk: the group's auth group, and lead_group for leaders."""
        self._save(GroupMembership, [GroupMembership(group=g, inspector=p, role=role) for g, p, role in plan])
        links = {(p.user.pk, g.auth_group_id) for g, p, _ in plan}
        User.groups.through.objects.bulk_create([User.groups.through(user_id=u, group_id=a) for u, a in links])
        lead = _permission(LEAD_PERM)
        self._save(
            InspectionGroupUserObjectPermission,
            [
                InspectionGroupUserObjectPermission(user=p.user, permission=lead, content_object=g)
                for g, p, role in plan
                if role in (MemberRole.LEADER, MemberRole.DEPUTY)
            ],
        )

    def _staff_of(self, insp) -> Staff:
        v = self.visit_of[insp.pk]
        return self.staff[(v.round_no, v.group_no)]
