"""巡察结果运用: the results sheet for cadre evaluation (filled in below)."""

from xuncha.roles import Role, roles_of, sees_everything

from .choices import SupervisingBody
from .scopes import supervision


def reads_results(user) -> bool:
    """Office, leadership and 组织部's supervising liaisons (cadre evaluation) read the results sheet."""
    if sees_everything(user):
        return True
    if Role.SUPERVISING_LIAISON not in roles_of(user):
        return False
    row = supervision(user)
    return row is not None and row.body == SupervisingBody.ORGANISATION
