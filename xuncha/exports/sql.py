"""A portable "join the names" aggregate: Django 5.2 has StringAgg for PostgreSQL only."""

from django.db.models import Aggregate, CharField, OuterRef, Subquery, TextField, Value


class JoinedNames(Aggregate):
    """string_agg(expr, '、') on PostgreSQL, group_concat(expr, '、') on SQLite."""

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, expression, separator="、", **extra):
        super().__init__(expression, Value(separator, output_field=CharField()), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def joined_names(queryset, *, outer: str, field: str, separator: str = "、") -> Subquery:
    """One correlated subquery giving `field` of the rows of `queryset` whose `outer` is the outer row."""
    return Subquery(
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(names=JoinedNames(field, separator=separator))
        .values("names")[:1],
        output_field=TextField(),
    )
