"""Hand-written SELECTs read back into model instances, for the few reads on
every request (the API token, the caller's roles) and the voter's ballot path.

Building and compiling an ORM query costs some thirty times the CPU of running
it on a small indexed read. `Columns` lists a model's concrete columns under a
table alias (from the model's own metadata, so a new field is picked up) and
turns a row back into an instance with the backend's converters, as the ORM
does; fields left out are deferred, as with `.only()`. Anything with a union
scope applies it with `scope_filter`, exactly as the scoped manager would.

On PostgreSQL these statements run as prepared statements (parsed and planned
once per connection): planning the voter's three-table read cost the server
some 400 µs of CPU each time, running the prepared one some 50 µs. Django
turns psycopg's automatic preparing off (for connection poolers), so only the
statements written here are prepared, each connection keeping a handful.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django_scopes import ScopeError, get_scope


class Columns:
    """Some concrete columns of a model under a table alias (the primary key
    always), read back into an instance."""

    def __init__(self, model, alias: str, attnames=None):
        self.model, self.alias = model, alias
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if attnames is None or f.attname in attnames or f.primary_key
        ]
        self.names = [f.attname for f in self.fields]
        self._converters = None
        # Quoted names depend only on the backend, which a process never changes.
        self._text: dict = {}

    def __len__(self) -> int:
        return len(self.fields)

    def _quoted(self, key, make) -> str:
        text = self._text.get(key)
        if text is None:
            text = self._text[key] = make(connection.ops.quote_name)
        return text

    def sql(self) -> str:
        """The columns' list for a SELECT, in the order `build` reads them."""
        return self._quoted(
            "select", lambda qn: ", ".join(f"{self.alias}.{qn(f.column)}" for f in self.fields)
        )

    def column(self, attname: str, *, bare: bool = False) -> str:
        """The quoted column, under the alias unless `bare` (for UPDATE)."""

        def make(qn):
            name = qn(self.model._meta.get_field(attname).column)
            return name if bare else f"{self.alias}.{name}"

        return self._quoted(("column", attname, bare), make)

    def table(self, *, alias: bool = True) -> str:
        def make(qn):
            name = qn(self.model._meta.db_table)
            return f"{name} {self.alias}" if alias else name

        return self._quoted(("table", alias), make)

    def build(self, values):
        db = connections[DEFAULT_DB_ALIAS]
        if self._converters is None:
            found = []
            for i, f in enumerate(self.fields):
                col = f.get_col(self.alias)
                convs = db.ops.get_db_converters(col) + col.get_db_converters(db)
                if convs:
                    found.append((i, convs, col))
            self._converters = found
        values = list(values)
        for i, convs, col in self._converters:
            for convert in convs:
                values[i] = convert(values[i], col, db)
        return self.model.from_db(DEFAULT_DB_ALIAS, self.names, values)


def scope_filter(column: str) -> tuple[str, list] | None:
    """The current union scope (django-scopes) as an SQL condition on `column`
    (" AND …", params), as the scoped manager applies it; None when the scope
    admits no union at all. Raises ScopeError outside a union scope."""
    current = get_scope()
    if not current.get("_enabled", True):
        return "", []
    if "union" not in current:
        raise ScopeError("A scope on dimension(s) union needs to be active for this query.")
    unions = current["union"]
    if isinstance(unions, (list, tuple, set)):
        unions = sorted({int(u) for u in unions})
        if not unions:
            return None
        return f" AND {column} IN ({', '.join(['%s'] * len(unions))})", unions
    if unions is None:
        return "", []
    return f" AND {column} = %s", [int(unions)]


def _cursor():
    """A cursor of the default connection (Django's wrapper: query log, execute
    wrappers, database errors as Django's) whose statements are prepared on
    PostgreSQL."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_cursor_class()(connection.connection))


_PREPARED = None


def _prepared_cursor_class():
    global _PREPARED
    if _PREPARED is None:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparedCursor(ServerBindingCursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                return super().execute(query, params, prepare=True, binary=binary)

        _PREPARED = PreparedCursor
    return _PREPARED


def insert(obj) -> None:
    """INSERT one new instance, every concrete column, no signals sent (as
    `bulk_create`); the values are prepared for the database by their fields
    exactly as `save()` prepares them. Database errors arrive as Django's.
    Only for models whose key is made in Python (a UUID), not by a sequence."""
    target, placeholders, values = insert_sql(obj)
    with _cursor() as cursor:
        cursor.execute(f"INSERT INTO {target} VALUES ({placeholders})", values)
    added(obj)


def insert_sql(obj) -> tuple[str, str, list]:
    """(table and column list, placeholders, prepared values) of `insert(obj)`,
    for a caller that writes the INSERT into a larger statement."""
    if obj.pk is None:
        raise ValueError(f"{type(obj).__name__} has no key yet: sqlrows.insert needs one")
    model = type(obj)
    fields = model._meta.concrete_fields
    qn = connection.ops.quote_name
    target = f"{qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    return target, ", ".join(["%s"] * len(fields)), values


def added(obj) -> None:
    """Mark an instance written by `insert_sql`'s statement as saved."""
    obj._state.adding = False
    obj._state.db = connection.alias


def execute(sql: str, params: list) -> int:
    """Run one write statement; the number of rows it changed."""
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch(sql: str, params: list, *, many: bool = False):
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if many else cursor.fetchone()
