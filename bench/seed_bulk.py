"""Fallback bulk data for the benchmark when `seed_demo --scale N` data is not at hand.

Generates, in set-based SQL on PostgreSQL, one plan over a county multiplied N times: 430·N units
(30·N townships with 300·N villages under them, 100·N departments), 15 rounds, 500·N inspections
(of every kind and stage), 7 000·N findings, 20 000·N rectification tasks, 500·N clues. Random but
seeded (setseed), so two runs build the same data. History tables are left empty: the pages do not
read them. Refuses to run on a database that already holds units.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xuncha_i5_bench .venv/bin/python bench/seed_bulk.py --scale 10
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SQL = """
SELECT setseed(0.42);
INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, email, is_staff,
                       is_active, date_joined)
VALUES ('!', NULL, false, 'seed_bulk', '批量数据', '', '', false, false, now());

INSERT INTO rounds_partyunit (name, kind, parent_id, head_id, is_active)
SELECT '乡镇' || i || '党委', 'township', NULL, NULL, true FROM generate_series(1, 30 * %(s)s) i;
INSERT INTO rounds_partyunit (name, kind, parent_id, head_id, is_active)
SELECT '部门' || i || '党组', (ARRAY['department','department','soe','institution'])[1 + i %% 4], NULL, NULL, true
FROM generate_series(1, 100 * %(s)s) i;
INSERT INTO rounds_partyunit (name, kind, parent_id, head_id, is_active)
SELECT '村' || i || '党支部', 'village',
       (SELECT min(id) FROM rounds_partyunit WHERE kind = 'township') + i %% (30 * %(s)s), NULL, true
FROM generate_series(1, 300 * %(s)s) i;

INSERT INTO rounds_plan (name, start_year, end_year) VALUES ('基准测试规划', %(y)s - 2, %(y)s + 2);
INSERT INTO rounds_planunit (plan_id, unit_id, planned_year)
SELECT (SELECT max(id) FROM rounds_plan), id, %(y)s - 2 + (id %% 5) FROM rounds_partyunit;
INSERT INTO rounds_milestone (plan_id, year, target_rate)
SELECT (SELECT max(id) FROM rounds_plan), %(y)s - 2 + k, (k + 1) * 20 FROM generate_series(0, 4) k;
INSERT INTO rounds_round (plan_id, number, year, start_date, end_date, theme, status, plan_due_days,
                          report_due_days, assessment_due_days)
SELECT (SELECT max(id) FROM rounds_plan), n, %(y)s - 2 + (n - 1) / 3, NULL, NULL, '', 'active', 30, 60, 180
FROM generate_series(1, 15) n;

INSERT INTO auth_group (name) SELECT '基准巡察组-' || r.id || '-' || g FROM rounds_round r, generate_series(1, 5) g;
INSERT INTO rounds_inspectiongroup (round_id, name, auth_group_id)
SELECT split_part(name, '-', 2)::bigint, '第' || split_part(name, '-', 3) || '巡察组', id
FROM auth_group WHERE name LIKE '基准巡察组-%%';

CREATE TEMP TABLE u AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM rounds_partyunit;
CREATE TEMP TABLE r AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM rounds_round;
INSERT INTO rounds_inspection (round_id, group_id, unit_id, kind, stage, stage_changed_at, entry_date,
    onsite_end_date, feedback_date, interviews, documents, questionnaires, visits, petitions)
SELECT r.id, (SELECT min(g.id) FROM rounds_inspectiongroup g WHERE g.round_id = r.id) + j %% 5, u.id,
       (ARRAY['regular','regular','regular','special','mobile','village','cross','elevated','regular','regular',
              'regular','special','regular','regular','regular','regular','regular','regular','lookback',
              'assessment'])[1 + (j * 7) %% 20],
       LEAST(6, floor(random() * 8))::int, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0
FROM generate_series(0, 500 * %(s)s - 1) j
JOIN u ON u.k = (j * 37) %% (SELECT count(*) FROM u)
JOIN r ON r.k = j %% 15
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE i AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, unit_id FROM rounds_inspection;
CREATE TEMP TABLE c AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, id FROM findings_findingcategory
  WHERE parent_id IS NOT NULL;
INSERT INTO findings_finding (inspection_id, seq, category_id, title, description, source, key_minority,
    immediate, review_state, author_id, feedback_id, created_at, updated_at)
SELECT i.id, f / (SELECT count(*) FROM i) + 1, c.id, '问题' || f, '问题描述', 'interview', random() < 0.1, false,
       CASE WHEN random() < 0.9 THEN 'reported' ELSE 'draft' END,
       (SELECT id FROM auth_user WHERE username = 'seed_bulk'), NULL, now(), now()
FROM generate_series(0, 7000 * %(s)s - 1) f
JOIN i ON i.k = f %% (SELECT count(*) FROM i)
JOIN c ON c.k = f %% (SELECT count(*) FROM c);

CREATE TEMP TABLE f AS SELECT row_number() OVER (ORDER BY fi.id) - 1 AS k, fi.id, ins.unit_id
  FROM findings_finding fi JOIN rounds_inspection ins ON ins.id = fi.inspection_id;
INSERT INTO rectification_rectificationtask (finding_id, measure, goal, responsible_leader_id,
    responsible_unit_id, handler_id, term_type, due_date, progress, status, closed_at, created_at)
SELECT f.id, '整改措施' || t, '', NULL, f.unit_id, NULL, 'deadline',
       current_date + (floor(random() * 900) - 700)::int, 0, s.status,
       CASE WHEN s.status = 'closed' THEN now() END, now()
FROM generate_series(0, 20000 * %(s)s - 1) t
JOIN f ON f.k = t %% (SELECT count(*) FROM f)
CROSS JOIN LATERAL (SELECT (ARRAY['closed','closed','closed','closed','closed','submitted','in_progress',
    'in_progress','in_progress','not_started'])[1 + floor(random() * 10)::int + (t * 0)] AS status) s;

INSERT INTO findings_clue (inspection_id, finding_id, summary, receiving_body, receiving_body_other, status,
    transfer_date, letter_number, feedback_due_date, disposition, outcome, outcome_detail, answered_date,
    created_by_id, created_at)
SELECT i.id, NULL, '线索' || q, (ARRAY['discipline','discipline','organisation','other'])[1 + q %% 4], '',
       'transferred', current_date - 200 + q %% 150, '基准〔' || q || '〕号', current_date - 110 + q %% 150,
       (ARRAY['','talk','verify','shelve','close'])[1 + q %% 5], '', '', NULL,
       (SELECT id FROM auth_user WHERE username = 'seed_bulk'), now()
FROM generate_series(0, 500 * %(s)s - 1) q
JOIN i ON i.k = (q * 13) %% (SELECT count(*) FROM i);
"""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=int, default=10)
    args = p.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    os.environ.setdefault("SECRET_KEY", "seed-bulk")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from rounds.models import PartyUnit

    if connection.vendor != "postgresql":
        raise SystemExit("seed_bulk needs PostgreSQL (DATABASE_URL=postgres://…)")
    if PartyUnit.objects.exists():
        raise SystemExit("This database already holds units; seed_bulk fills an empty, migrated database only.")
    start = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SQL, {"s": args.scale, "y": timezone.localdate().year})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded scale {args.scale} in {time.monotonic() - start:.0f}s")


if __name__ == "__main__":
    main()
