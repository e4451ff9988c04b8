from .roles import Role, roles_of, sees_everything


def roles(request):
    """The user's roles, and which lists the navigation offers: decided by the rules the list views apply."""
    from findings.petition_selectors import reads_petitions
    from findings.selectors import reads_clues, reads_findings
    from rectification.after_selectors import reads_assessments, reads_documents
    from rectification.results import reads_results
    from rectification.selectors import reads_ledger

    user = getattr(request, "user", None)
    if user is None:
        return {"user_roles": frozenset(), "Role": Role, "reads": {}}
    reads = {
        "everything": sees_everything(user),  # the office and leadership pages (require_oversight)
        "findings": reads_findings(user),
        "clues": reads_clues(user),
        "petitions": reads_petitions(user),
        "ledger": reads_ledger(user),
        "documents": reads_documents(user),
        "assessments": reads_assessments(user),
        "results": reads_results(user),
    }
    return {"user_roles": roles_of(user), "Role": Role, "reads": reads}
