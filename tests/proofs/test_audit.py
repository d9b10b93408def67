"""Proofs and the reviewer's verdicts on them, and sworn declarations, leave an audit trail."""

import pghistory
import pytest

from audit.models import AnswerEvent, ProofEvent
from proofs import services
from proofs.models import Proof, Status
from tests.proofs.factories import (
    VIDEO_ITEM,
    assessment_with_proofs,
    declare,
    deposit,
    submit_with_proofs,
    take,
)

pytestmark = pytest.mark.django_db


def test_deposit_freezing_and_verdict_of_a_proof_are_recorded():
    assessment, expected, actor = assessment_with_proofs()
    submit_with_proofs(assessment, expected, actor)
    video = Proof.objects.get(item__code=VIDEO_ITEM)
    reviewer = take(assessment)
    with pghistory.context(user=reviewer.pk):
        services.proof_review(proof=video, status=Status.REFUSED, comment="Image floue.", actor=reviewer)
    events = ProofEvent.objects.filter(pgh_obj=video).order_by("pgh_id")
    assert [event.pgh_label for event in events] == ["insert", "update", "update"]
    deposited, frozen, refused = events
    assert (deposited.sha256, deposited.uploaded_by_id, deposited.frozen_at) == (video.sha256, actor.pk, None)
    assert frozen.frozen_at is not None and frozen.status == Status.TO_CHECK
    assert (refused.status, refused.review_comment, refused.reviewed_by_id) == (
        Status.REFUSED,
        "Image floue.",
        reviewer.pk,
    )
    assert refused.pgh_context.metadata["user"] == reviewer.pk


def test_a_withdrawn_draft_proof_leaves_its_deletion_in_the_trail():
    assessment, expected, actor = assessment_with_proofs()
    proof = deposit(assessment, expected["rapport"], actor=actor)
    services.proof_withdraw(proof=proof, actor=actor)
    assert list(ProofEvent.objects.filter(pgh_obj_id=proof.pk).values_list("pgh_label", flat=True)) == [
        "insert",
        "delete",
    ]


def test_a_sworn_declaration_is_recorded_with_its_declarant_and_role(declaration_setup):
    assessment, _, actor = declaration_setup
    answer = declare(assessment, actor)
    event = AnswerEvent.objects.filter(assessment=assessment, item_id=answer.item_id).latest("pgh_id")
    assert (event.level, event.declarant, event.declarant_role, str(event.declared_on)) == (
        "na",
        "Claire Martin",
        "Présidente",
        "2025-03-01",
    )
