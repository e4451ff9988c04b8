"""Seed a realistic demo county, or N counties' volume for benchmarks.

    python manage.py seed_demo               # the demo county: ~430 units, ~7,000 findings, ~20,000 tasks, accounts
    python manage.py seed_demo --scale 100   # 100 counties (~2,000,000 tasks) for benchmarks

Everything is drawn from random.Random with a fixed seed per county and dated relative to today, so
the same day gives the same data. County 1 is the demo county: its groups and memberships go through
rounds.services (the object permissions are the real ones) and its rows get a history entry. Counties
2..N bypass history and per-row services: small tables are bulk_created, and on PostgreSQL the five
volume tables (findings, reviews, tasks, events, progress reports) are COPYed; their names carry the
county ("第37县·城关镇党委") so that unique names hold. Each county is one transaction, built in a
worker process when --jobs > 1, so memory stays at one county per worker.

The builder follows the work, one module per phase: base.py (the county, constants, bulk writers), people.py
(accounts, units, inspectors), schedule.py (plan, rounds, groups, inspections), findings.py (findings and their
三审, clues, reports, petitions), rectification.py (feedbacks, tasks and their events, the upper-level visit),
after_feedback.py (documents, assessments); county.py composes them. Review steps and task events are drawn
as moves of the workflow tables (findings/workflow.py, rectification/workflow.py) and refused otherwise;
tests/test_demo_workflow.py walks every history the demo writes against them.

A county already present is skipped: a second run writes nothing, an interrupted run resumes, and
`seed_demo --scale 100` after `seed_demo` adds counties 2..100.
"""
