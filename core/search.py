"""Substring search over big tables (people: a million rows), one interface for
SQLite and PostgreSQL.

``LIKE '%term%'`` reads the whole table (~150–250 ms at a million rows). Here a
trigram index answers instead:

- SQLite: an FTS5 table with the ``trigram`` tokenizer over the searched
  columns, external content (the text lives only in the real table) kept in
  step by triggers. Rows are read in index order, newest first, so a page
  stops after its rows even when a term matches a hundred thousand people.
- PostgreSQL: a ``pg_trgm`` GIN index per column; ``ILIKE '%term%'`` uses it.

A plugin creates the index in a migration (``create_index``) and its list
page calls ``matching``::

    rows, has_next = paginate(search.matching(Person.select(), Person, ["name"], text), page, 50)

Terms of one or two characters are too short for trigrams: they match the
start of the first column (``name`` from "Bu"), through its ordinary index.
"""
import peewee

from core import db

MIN_TRIGRAM = 3


def index_table(model):
    """The SQLite FTS5 table of ``model``'s searched columns."""
    return f"{model._meta.table_name}_search"


# ---------------------------------------------------------------- querying

def matching(query, model, fields, text):
    """``query`` (a select of ``model``) narrowed to rows whose ``fields`` contain
    ``text`` (case-insensitive). Substring matches come newest first (the index's
    order: cheap at any size); short prefixes come in the first field's order."""
    text = " ".join(text.split())
    columns = [model._meta.fields[f] if isinstance(f, str) else f for f in fields]
    if not text:
        return query
    if len(text) < MIN_TRIGRAM:
        return _prefix(query, columns[0], text)
    if db.is_sqlite():
        return _sqlite_match(query, model, text)
    return _postgres_match(query, model, columns, text)


def _prefix(query, column, text):
    """Names starting with ``text``: a range on the column's index, as typed
    and with a capital first letter (names are stored capitalised)."""
    cond = None
    for start in dict.fromkeys([text, text[:1].upper() + text[1:]]):
        c = (column >= start) & (column < start + "\uffff")
        cond = c if cond is None else (cond | c)
    return query.where(cond).order_by(column, query.model._meta.primary_key)


_index_models = {}


def _index_model(model):
    """A peewee model of the FTS5 table, to join on its rowid."""
    table = index_table(model)
    if table not in _index_models:
        meta = type("Meta", (), {"database": db.database, "table_name": table})
        _index_models[table] = type(f"Search_{table}", (peewee.Model,),
                                    {"rowid": peewee.IntegerField(primary_key=True, column_name="rowid"), "Meta": meta, "__module__": __name__})
    return _index_models[table]


def _sqlite_match(query, model, text):
    index = _index_model(model)
    phrase = '"' + text.replace('"', '""') + '"'      # one FTS5 string: a substring, no query syntax
    # "<alias>.<table> MATCH ?": the hidden column named after the table searches every column.
    match = peewee.Expression(peewee.Column(index._meta.table, index._meta.table_name), "MATCH", phrase)
    return (query.join(index, on=(index.rowid == model._meta.primary_key))
            .where(match).order_by(index.rowid.desc()))


def _postgres_match(query, model, columns, text):
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    cond = None
    for column in columns:
        c = column.ilike(pattern)
        cond = c if cond is None else (cond | c)
    return query.where(cond).order_by(model._meta.primary_key.desc())


# ---------------------------------------------------------------- the index (for migrations)

def create_index(database, table, columns, key="id"):
    """Create the search index of ``table`` over ``columns`` (call from a migration)."""
    if db.is_sqlite(database):
        fts = f"{table}_search"
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        statements = [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
            f"content_rowid='{key}', tokenize='trigram')",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{key}, {new}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{key}, {old}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{key}, {old}); "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{key}, {new}); END",
        ]
    else:
        statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
            f"CREATE INDEX IF NOT EXISTS {table}_{c}_trgm ON {table} USING gin ({c} gin_trgm_ops)" for c in columns]
    for sql in statements:
        database.execute_sql(sql)


def drop_index(database, table, columns):
    if db.is_sqlite(database):
        fts = f"{table}_search"
        for suffix in ("ai", "ad", "au"):
            database.execute_sql(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        database.execute_sql(f"DROP TABLE IF EXISTS {fts}")
    else:
        for c in columns:
            database.execute_sql(f"DROP INDEX IF EXISTS {table}_{c}_trgm")
