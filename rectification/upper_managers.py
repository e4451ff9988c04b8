"""The one door for the upper-level register: office and leadership read it all; an owner their own requests."""

from django.db import models

from xuncha.roles import sees_everything


class UpperVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The visit pages are the office's and leadership's; owners reach their requests, not the visit."""
        return self if sees_everything(user) else self.none()


class UpperRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)
