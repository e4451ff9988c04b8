"""Petitions of each group of tests/world.py, with petitioners whose names carry the group's marker."""

from datetime import timedelta

from findings import petition_services
from findings.choices import PetitionChannel

PETITIONERS = {1: "甲组机密举报人", 2: "乙组机密举报人"}


def petition_of(world, n, **extra):
    side = world.g1 if n == 1 else world.g2
    fields = {
        "received_date": world.today - timedelta(days=3),
        "channel": PetitionChannel.LETTER,
        "petitioner_name": PETITIONERS[n],
        "petitioner_contact": "13900000000",
        "subject_unit": side.inspection.unit,
        "subject_person": "某局长",
        "summary": f"{side.marker}信访：反映某局长违规发放津贴",
    }
    fields.update(extra)
    return petition_services.petition_create(
        actor=world.users[f"group{n}_leader"], inspection=side.inspection, **fields
    )
