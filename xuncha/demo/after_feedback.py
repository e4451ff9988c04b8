"""Demo county only: the unit documents owed after each feedback (most in, some late, a few missing), a few
整改评估 with their officials, outcomes and 问责, and 组织部's supervising liaison — enough to show each page."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from rectification.choices import POOR_GRADES, DocumentKind, DocumentStatus, SupervisingBody
from rectification.models import (
    Accountability,
    Assessment,
    AssessmentIndicator,
    AssessmentScore,
    InspectionOfficial,
    LookbackProposal,
    RectificationOutcome,
    SupervisingLiaison,
    UnitDocument,
)
from rectification.services.assessments import grade_for, weighted_score
from rectification.services.documents import DUE_FIELD

ASSESSMENTS = 6
OFFICIALS = [("书记", "head"), ("副书记", "member"), ("纪检书记", "member")]


def make(builder) -> None:
    rng, today, office = builder.rng, builder.today, builder.office
    feedbacks = list(builder.feedback_of.values())
    docs = []
    for feedback in feedbacks:
        for kind, field in DUE_FIELD.items():
            due = getattr(feedback, field)
            doc = UnitDocument(
                feedback=feedback,
                inspection=feedback.inspection,
                unit=feedback.inspection.unit,
                kind=kind,
                due_date=due,
            )
            if due < today:
                roll = rng.random()
                if roll < 0.8:  # in on time, accepted
                    doc.status, doc.first_submitted_on = (
                        DocumentStatus.ACCEPTED,
                        due - timedelta(days=rng.randint(0, 9)),
                    )
                elif roll < 0.92:  # in late, accepted
                    doc.status, doc.first_submitted_on = (
                        DocumentStatus.ACCEPTED,
                        due + timedelta(days=rng.randint(1, 20)),
                    )
                # else: still missing
                if doc.status == DocumentStatus.ACCEPTED:
                    doc.first_submitted_on = min(doc.first_submitted_on, today)
                    doc.accepted_at = timezone.now()
            elif kind == DocumentKind.PLAN and rng.random() < 0.5:
                doc.status, doc.first_submitted_on = DocumentStatus.SUBMITTED, today
            docs.append(doc)
    builder._save(UnitDocument, docs)

    indicators = list(AssessmentIndicator.objects.filter(is_active=True))
    due = sorted((f for f in feedbacks if f.assessment_due <= today), key=lambda f: f.assessment_due)[-ASSESSMENTS:]
    for n, feedback in enumerate(due):
        inspection = feedback.inspection
        base = [92, 85, 78, 70, 62, 52][n % 6]
        scores = {i.pk: Decimal(max(0, min(100, base + rng.randint(-6, 6)))) for i in indicators}
        total = weighted_score((i.weight, scores[i.pk]) for i in indicators)
        assessment = builder._save(
            Assessment,
            [
                Assessment(
                    inspection=inspection,
                    unit=inspection.unit,
                    assessed_on=feedback.assessment_due,
                    score=total,
                    grade=grade_for(total),
                    evidence="查阅整改台账、实地抽查、个别谈话、问卷测评",
                    assessor=office,
                )
            ],
        )[0]
        builder._save(
            AssessmentScore,
            [
                AssessmentScore(assessment=assessment, indicator=i, weight=i.weight, score=scores[i.pk])
                for i in indicators
            ],
        )
        names = set()
        while len(names) < len(OFFICIALS):
            names.add(builder._person_name())
        officials = builder._save(
            InspectionOfficial,
            [
                InspectionOfficial(inspection=inspection, name=name, post=post, role=role)
                for name, (post, role) in zip(sorted(names), OFFICIALS, strict=True)
            ],
        )
        builder._save(
            RectificationOutcome,
            [
                RectificationOutcome(
                    inspection=inspection,
                    rules_count=rng.randint(1, 6),
                    funds_recovered=Decimal(rng.randint(0, 800)) / 10,
                    recorded_by=office,
                )
            ],
        )
        if assessment.grade in POOR_GRADES:
            builder._save(LookbackProposal, [LookbackProposal(assessment=assessment, unit=inspection.unit)])
            head = officials[0]
            builder._save(
                Accountability,
                [
                    Accountability(
                        inspection=inspection,
                        assessment=assessment,
                        official=head,
                        person=head.name,
                        post=head.post,
                        form="talk",
                        date=feedback.assessment_due,
                        recorded_by=office,
                    )
                ],
            )
    builder._save(
        SupervisingLiaison,
        [SupervisingLiaison(user=builder.accounts["zuzhibu"], body=SupervisingBody.ORGANISATION, all_units=True)],
    )
