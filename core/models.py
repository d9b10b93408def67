import uuid

from django.db import models


class TimestampedModel(models.Model):
    """Creation and last-change timestamps, for every domain model."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimestampedModel):
    """A model reachable from a URL: URLs carry ``public_id`` (a UUID), never the integer key."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True
