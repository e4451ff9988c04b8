"""Phase 1 of a demo county: accounts, the unit registry (townships, departments, villages) and the people pool."""

from collections import defaultdict

from django.contrib.auth.models import User
from django.core.management.base import CommandError

from accounts.models import Profile
from findings.choices import ReceivingBody
from findings.models import BodyLiaison
from rounds.choices import MemberRole, Specialty, Stage, UnitKind
from rounds.models import Avoidance, Inspector, PartyUnit, UnitLiaison
from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP

from .base import ACCOUNTS, COMMUNITY_COUNT, INSPECTORS, LEADER_POOL, PERSONAS, ROUNDS, VILLAGES, Steps
from .texts import (
    AVOIDANCE_REASONS,
    COMMUNITIES,
    DEPARTMENTS,
    RANK_WEIGHTS,
    RANKS,
    TOWNSHIPS,
    VILLAGE_CLASSICS,
    VILLAGE_STEMS,
    VILLAGE_SUFFIXES,
)

DEMO_HANDLER_POST = "办公室主任"  # the demo units' 经办人, as the pickers show them


class PeopleSteps(Steps):
    """Accounts, units and inspectors."""

    def _make_accounts(self):
        if not self.county.demo:
            self.office = self._save(User, [self._new_user("office", self._person_name(), email=True)])[0]
            self._join([self.office], OFFICE_GROUP)
            return
        taken = User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).values_list("username", flat=True)
        if taken:
            raise CommandError(f"账号 {'、'.join(taken)} 已存在，但演示规划不存在：请在空数据库上运行 seed_demo。")
        users = {
            username: self._new_user(
                username,
                name,
                email=username != "admin",
                is_staff=username == "admin",
                is_superuser=username == "admin",
            )
            for username, _role, name in ACCOUNTS
            if username not in PERSONAS
        }
        self._save(User, list(users.values()))
        self.office = users["office"]
        self._join([self.office], OFFICE_GROUP)
        self._join([users["leadership"]], LEADERSHIP_GROUP)
        self.accounts = users

    def _make_units(self):
        prefix, rng = self.county.prefix, self.rng
        top = [(f"{t}党委", UnitKind.TOWNSHIP) for t in TOWNSHIPS] + DEPARTMENTS
        heads = [self._new_user(f"head{i:03d}", self._person_name()) for i in range(1, len(top) + 1)]
        handlers = [self._new_user(f"handler{i:03d}", self._person_name()) for i in range(1, len(top) + 1)]
        self._save(User, heads + handlers)
        units = self._save(
            PartyUnit,
            [
                PartyUnit(name=prefix + name, kind=kind, head=head)
                for (name, kind), head in zip(top, heads, strict=True)
            ],
            "units",
        )
        self.head_of = {u.pk: h for u, h in zip(units, heads, strict=True)}
        self.handler_of = {u.pk: h for u, h in zip(units, handlers, strict=True)}
        # Each unit's 经办人 works there: the task form's pickers offer them as "姓名 · 单位 · 职务".
        self._save(
            Profile,
            [Profile(user=h, unit=u, post=DEMO_HANDLER_POST) for u, h in zip(units, handlers, strict=True)],
        )
        self.townships = [u for u in units if u.kind == UnitKind.TOWNSHIP]
        self.others = [u for u in units if u.kind != UnitKind.TOWNSHIP]

        villages = []
        for township, names in zip(self.townships, self._village_names(), strict=True):
            villages += [PartyUnit(name=prefix + n, kind=UnitKind.VILLAGE, parent=township) for n in names]
        villages = self._save(PartyUnit, villages, "units")
        self.villages_of = defaultdict(list)
        for v in villages:
            self.villages_of[v.parent_id].append(v)
            # A village has no head of its own here: its tasks are led and handled from the township.
            self.head_of[v.pk] = self.head_of[v.parent_id]
            self.handler_of[v.pk] = self.handler_of[v.parent_id]
        rng.shuffle(self.townships)
        rng.shuffle(self.others)

    def _village_names(self) -> list[list[str]]:
        rng = self.rng
        counts = [COMMUNITY_COUNT] + self._split(VILLAGES - COMMUNITY_COUNT, len(TOWNSHIPS) - 1, lo=6, hi=15)
        names = [[f"{c}社区{'党委' if rng.random() < 0.4 else '党支部'}" for c in COMMUNITIES[:COMMUNITY_COUNT]]]
        seen = set(VILLAGE_CLASSICS)
        classics = VILLAGE_CLASSICS[:]
        rng.shuffle(classics)
        for n in counts[1:]:
            batch = []
            while len(batch) < n:
                if classics and rng.random() < 0.15:
                    stem = classics.pop()
                else:
                    stem = rng.choice(VILLAGE_STEMS) + rng.choice(VILLAGE_SUFFIXES)
                    if stem in seen:
                        continue
                    seen.add(stem)
                batch.append(f"{stem}村{self._pick({'党支部': 80, '党总支': 15, '党委': 5})}")
            names.append(batch)
        return names

    def _split(self, total, parts, *, lo, hi) -> list[int]:
        counts = [total // parts + (i < total % parts) for i in range(parts)]
        for _ in range(parts * 3):
            i, j = self.rng.randrange(parts), self.rng.randrange(parts)
            if counts[i] > lo and counts[j] < hi:
                counts[i] -= 1
                counts[j] += 1
        return counts

    def _make_inspectors(self, visits):
        rng, demo = self.rng, self.county.demo
        latest_units = {v.unit.pk for v in visits if v.round_no == ROUNDS}
        safe_homes = [u for u in self.townships + self.others if u.pk not in latest_units]
        homes = self.townships + self.others
        persona_names = {a[0]: a[2] for a in ACCOUNTS}
        people, users = [], []
        for i in range(INSPECTORS):
            persona = list(PERSONAS)[i] if demo and i < len(PERSONAS) else None
            leader_pool = i < LEADER_POOL and (persona is None or PERSONAS[persona][1] == MemberRole.LEADER)
            user = (
                self._new_user(persona, persona_names[persona], email=True)
                if persona
                else self._new_user(f"xcg{i + 1:03d}", self._person_name())
            )
            if persona:
                home = rng.choice(safe_homes)  # the personas' group must not have to avoid anything
            else:
                home = None if rng.random() < 0.25 else rng.choice(homes)
            users.append(user)
            people.append(
                Inspector(
                    name=user.first_name,
                    user=user,
                    home_unit=home,
                    rank=rng.choice(["正科级", "正科级", "一级主任科员"])
                    if leader_pool
                    else rng.choices(RANKS, RANK_WEIGHTS)[0],
                    specialties=rng.sample(Specialty.values, rng.randint(1, 3)),
                    in_leader_pool=leader_pool,
                )
            )
        self._save(User, users)
        self.inspectors = self._save(Inspector, people)
        self.personas = {p.user.username: p for p in self.inspectors[: len(PERSONAS)]} if demo else {}

        avoiders = rng.sample(self.inspectors[len(PERSONAS) :], 8)
        avoidances = [
            Avoidance(
                inspector=p,
                unit=rng.choice([u for u in homes if u.pk != p.home_unit_id]),
                reason=rng.choice(AVOIDANCE_REASONS),
            )
            for p in avoiders
        ]
        self._save(Avoidance, avoidances)
        self.avoided = {p.pk: {p.home_unit_id} - {None} for p in self.inspectors}
        for a in avoidances:
            self.avoided[a.inspector.pk].add(a.unit.pk)

    def _make_liaisons(self):
        """The unit liaison sits in the unit that group 1 of the latest round has already given feedback to."""
        group1 = self.groups[(ROUNDS, 1)]
        unit = next(
            i.unit
            for i in self.inspections
            if i.group_id == group1.pk and i.stage >= Stage.FEEDBACK and i.unit.kind != UnitKind.VILLAGE
        )
        self._save(UnitLiaison, [UnitLiaison(user=self.accounts["liaison"], unit=unit)])
        self._save(BodyLiaison, [BodyLiaison(user=self.accounts["jiwei"], body=ReceivingBody.DISCIPLINE)])
