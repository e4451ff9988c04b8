"""The one door for group-scoped reads: every list, detail, export and count starts from `visible_to`."""

from django.db import models
from guardian.shortcuts import get_objects_for_user

from xuncha.roles import Role, identity_of, roles_of, sees_everything

# The object permissions follow group memberships, so without one there is nothing to look up
# (office, leadership, liaisons: most page views spare the permission queries).
IN_A_GROUP = {Role.GROUP_LEADER, Role.GROUP_MEMBER}


class InspectionGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Groups whose work the user may read: all for office/leadership, else the groups they are in."""
        if sees_everything(user):
            return self
        if not roles_of(user) & IN_A_GROUP:
            return self.none()
        if user.is_superuser:  # guardian gives a superuser every group
            return get_objects_for_user(user, "rounds.work_in_group", klass=self, accept_global_perms=False)
        # The object permissions were read with the roles (identity_of): the ids, not a subquery, so that the
        # planner knows a group's share is small and reads it by its indexes (2 M tasks: 57 s → ms).
        return self.filter(pk__in=sorted(identity_of(user).work_groups))

    def led_by(self, user):
        """Groups the user leads (组长/副组长): their findings to review and their clues."""
        if Role.GROUP_LEADER not in roles_of(user):
            return self.none()
        if user.is_superuser:
            return get_objects_for_user(user, "rounds.lead_group", klass=self, accept_global_perms=False)
        return self.filter(pk__in=sorted(identity_of(user).led_groups))


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        from .models import InspectionGroup

        return self.filter(group__in=InspectionGroup.objects.visible_to(user).values("pk"))
