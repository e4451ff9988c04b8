"""Search that uses an index, for Chinese text too.

pg_trgm cannot index one- and two-character words (most Chinese words are two characters), and zhparser,
pg_jieba and pg_bigm are not available. So on PostgreSQL each searched column has a GIN expression index
on `xuncha_bigrams(column)`: the tsvector (array_to_tsvector) of its overlapping two-character grams,
lower-cased, plus its last character alone (rectification/migrations/0010_bigram_search.py). A query of
two or more characters asks for all of its grams (`'台账'`, `'整改' & '改措'`…), one character asks for
any gram starting with it (`'台':*`); the grams are a necessary condition read off the index, and the
usual `icontains` on the rows found keeps the result exact. Elsewhere (SQLite) the `icontains` alone.

An OR over several columns or tables defeats the indexes (the planner scans); selectors search each arm
on its own index and combine the ids with UNION (`any_of`)."""

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value

# (table, column, index name): the columns the lists search, indexed by the migration.
INDEXED = [
    ("rectification_rectificationtask", "measure", "task_measure_bigrams"),
    ("findings_finding", "title", "finding_title_bigrams"),
    ("findings_finding", "description", "finding_description_bigrams"),
    ("findings_clue", "summary", "clue_summary_bigrams"),
    ("rounds_partyunit", "name", "unit_name_bigrams"),
]


def uses_bigrams() -> bool:
    return connection.vendor == "postgresql"


def _lexeme(text: str) -> str:
    # A quoted tsquery operand: a quote doubled, a backslash escaped.
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def bigram_query(q: str) -> str:
    """The tsquery (as text) every row containing `q` matches."""
    q = q.lower()
    if len(q) == 1:
        return _lexeme(q) + ":*"
    return " & ".join(_lexeme(g) for g in dict.fromkeys(q[i : i + 2] for i in range(len(q) - 1)))


class BigramMatch(Func):
    """`xuncha_bigrams(column) @@ '<grams>'::tsquery`: the index condition (a superset of the matches)."""

    output_field = BooleanField()

    def __init__(self, field: str, q: str):
        super().__init__(F(field), Value(bigram_query(q)))

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        return f"xuncha_bigrams({column}) @@ CAST({query} AS tsquery)", [*column_params, *query_params]


def contains(field: str, q: str) -> Q:
    """Rows whose `field` contains `q` (case-insensitive), read off the bigram index on PostgreSQL."""
    exact = Q(**{f"{field}__icontains": q})
    if not uses_bigrams() or not q:
        return exact
    if len(q) <= 2:
        # One or two characters: the grams are the whole test (no recheck). A recheck would also make the
        # planner guess a handful of rows for a common word and nest-loop over 300,000 of them.
        return Q(BigramMatch(field, q))
    return Q(BigramMatch(field, q)) & exact


def any_of(*arms):
    """The ids in any of the arms (querysets of one model, each searched on its own index), as a UNION:
    `pk__in=any_of(...)`. Unlike an OR in one WHERE, each arm keeps its index."""
    first, *rest = [arm.values("pk").order_by() for arm in arms]
    return first.union(*rest) if rest else first
