"""The review flow's own records: the reviewer's threaded comments (and the vendor's replies).

The table keeps the name it had when the model lived in ``assessments`` (``db_table``): moving the
model between apps changed Django's bookkeeping only, not the data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from audit.models import track


class ReviewComment(models.Model):
    """A reviewer's (or vendor's reply) comment on an item or on the whole assessment, threaded."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="comments"
    )
    item = models.ForeignKey(
        "questionnaires.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("commentaire")
    # Reviewer comments become visible to the vendor when the assessment is sent back; a vendor's
    # reply is visible at once. An internal note (and every reply in its thread) never is.
    is_published = models.BooleanField("visible par l'éditeur", default=False)
    internal = models.BooleanField("note interne à l'agence", default=False)
    created_at = models.DateTimeField("écrit le", default=timezone.now)

    class Meta:
        db_table = "assessments_reviewcomment"
        verbose_name = "commentaire d'instruction"
        verbose_name_plural = "commentaires d'instruction"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="assessments_comment_not_empty",
                violation_error_message="Le commentaire ne peut pas être vide.",
            ),
            models.CheckConstraint(
                condition=~Q(internal=True, is_published=True),
                name="instruction_internal_note_never_published",
                violation_error_message="Une note interne n'est jamais visible par l'éditeur.",
            ),
        ]
        indexes = [models.Index(fields=["assessment", "item"], name="assessments_comment_item")]

    def __str__(self) -> str:
        return self.body[:60]


track(
    ReviewComment,
    name="ReviewCommentEvent",
    fields=["assessment", "item", "parent", "author", "body", "is_published", "internal"],
)
