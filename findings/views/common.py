from xuncha.params import parse_id


def pk_in(queryset, value) -> bool:
    """Whether a submitted id is one of the allowed choices (a foreign id answers 404, not a form error)."""
    if value in (None, ""):
        return True
    pk = parse_id(value)
    if pk is None:
        return True  # not an id at all: let the form say so
    return queryset.filter(pk=pk).exists()


def only_choice(queryset):
    """The pk when there is exactly one choice (a member usually works on one inspection at a time)."""
    pks = list(queryset.values_list("pk", flat=True)[:2])
    return pks[0] if len(pks) == 1 else None
