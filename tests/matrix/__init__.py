"""The permission matrix: every URL × every persona × an object of their own group and of another.

Each app contributes a module here (`tests/matrix/<app>.py`) defining `CASES`, a list of `Case`.
`tests/test_permission_matrix.py` runs them all: a persona in `allowed` gets `ok_status`, every
other persona gets 404 (never 403: no existence leak), and no page a persona can reach shows the
marker of a group they do not belong to.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "office",
    "leadership",
    "group1_leader",
    "group1_member",
    "group2_leader",
    "group2_member",
    "liaison",
    "jiwei",
    "unit_head",
    "zuzhibu",
    "nobody",
)
OVERSEERS = frozenset({"office", "leadership"})
GROUP1 = frozenset({"group1_leader", "group1_member"})
GROUP2 = frozenset({"group2_leader", "group2_member"})
EVERYONE = frozenset(PERSONAS)

# Markers a persona must never see (tests/world.py puts them in each group's titles).
FORBIDDEN_MARKERS = {
    "group1_leader": ["乙组机密"],
    "group1_member": ["乙组机密"],
    "group2_leader": ["甲组机密"],
    "group2_member": ["甲组机密"],
    "liaison": ["乙组机密"],  # liaison of group 1's unit
    "jiwei": ["乙组机密"],  # group 2's clue went to the organisation department
    "unit_head": ["乙组机密"],  # head of group 1's unit
    "zuzhibu": ["甲组机密"],  # 组织部 supervises group 2's unit only (县教育局党组)
    "nobody": ["甲组机密", "乙组机密"],
}


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable  # world -> str
    allowed: frozenset
    method: str = "get"
    data: Callable | None = None  # world -> dict, for POST
    ok_status: int = 200  # 302 for a POST that redirects after success
    extra: dict = field(default_factory=dict)
