"""The progress database's schema: the migrations that build and upgrade it (SQLite and PostgreSQL), and the one-off
merge of profile names stored under several spellings. Each version is an Alembic revision (``migrations/``) that
runs its SQL here; ``migrations.upgrade`` brings a database to the head."""
from __future__ import annotations

# Append only: entry N upgrades a file from user_version N-1 to N, inside one transaction.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE profiles (
        name TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        profile TEXT NOT NULL REFERENCES profiles(name),
        item_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        area TEXT NOT NULL,
        chosen INTEGER NOT NULL CHECK (chosen BETWEEN 0 AND 3),
        answer INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 3),
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        source TEXT NOT NULL CHECK (source IN ('quiz', 'pasted', 'exam', 'review')),
        stem TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        UNIQUE (profile, item_id)
    );
    CREATE INDEX attempts_by_rule ON attempts (profile, rule_id, correct);
    CREATE INDEX attempts_by_time ON attempts (profile, answered_at);
    CREATE TABLE cards (
        profile TEXT NOT NULL REFERENCES profiles(name),
        rule_id TEXT NOT NULL,
        area TEXT NOT NULL,
        card TEXT NOT NULL,
        due REAL NOT NULL,
        PRIMARY KEY (profile, rule_id)
    );
    """,
    # 2: the items shown to a learner, so an answer or an explanation can refer to one by id later
    """
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 3: the option texts of each attempt (a pasted question's live nowhere else), and up to 8 options
    # (A to H) as pasted questions may have; SQLite cannot relax a CHECK in place, so the table is rebuilt
    """
    CREATE TABLE attempts_v3 (
        id INTEGER PRIMARY KEY,
        profile TEXT NOT NULL REFERENCES profiles(name),
        item_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        area TEXT NOT NULL,
        chosen INTEGER NOT NULL CHECK (chosen BETWEEN 0 AND 7),
        answer INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 7),
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        source TEXT NOT NULL CHECK (source IN ('quiz', 'pasted', 'exam', 'review')),
        stem TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        options TEXT,
        UNIQUE (profile, item_id)
    );
    INSERT INTO attempts_v3 (id, profile, item_id, rule_id, area, chosen, answer, correct, source, stem, answered_at)
        SELECT id, profile, item_id, rule_id, area, chosen, answer, correct, source, stem, answered_at FROM attempts;
    DROP TABLE attempts;
    ALTER TABLE attempts_v3 RENAME TO attempts;
    CREATE INDEX attempts_by_rule ON attempts (profile, rule_id, correct);
    CREATE INDEX attempts_by_time ON attempts (profile, answered_at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

# The same three versions on PostgreSQL (a server shared by app replicas), its check constraints named so that a
# later version can replace them.
POSTGRES_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE profiles (
        name TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE attempts (
        id BIGSERIAL PRIMARY KEY,
        profile TEXT NOT NULL REFERENCES profiles(name),
        item_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        area TEXT NOT NULL,
        chosen INTEGER NOT NULL CONSTRAINT attempts_chosen CHECK (chosen BETWEEN 0 AND 3),
        answer INTEGER NOT NULL CONSTRAINT attempts_answer CHECK (answer BETWEEN 0 AND 3),
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        source TEXT NOT NULL CHECK (source IN ('quiz', 'pasted', 'exam', 'review')),
        stem TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        UNIQUE (profile, item_id)
    );
    CREATE INDEX attempts_by_rule ON attempts (profile, rule_id, correct);
    CREATE INDEX attempts_by_time ON attempts (profile, answered_at);
    CREATE TABLE cards (
        profile TEXT NOT NULL REFERENCES profiles(name),
        rule_id TEXT NOT NULL,
        area TEXT NOT NULL,
        card TEXT NOT NULL,
        due DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (profile, rule_id)
    );
    """,
    """
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE attempts ADD COLUMN options TEXT;
    ALTER TABLE attempts DROP CONSTRAINT attempts_chosen, DROP CONSTRAINT attempts_answer,
        ADD CONSTRAINT attempts_chosen CHECK (chosen BETWEEN 0 AND 7),
        ADD CONSTRAINT attempts_answer CHECK (answer BETWEEN 0 AND 7);
    """,
)


def run_migration(conn, number: int) -> None:
    """Version ``number`` of the schema on ``conn`` (a SQLAlchemy connection in a transaction): the SQL above for
    its dialect; on SQLite also ``PRAGMA user_version``, so a file stays readable by releases from before Alembic."""
    sqlite = conn.dialect.name == "sqlite"
    for statement in (MIGRATIONS if sqlite else POSTGRES_MIGRATIONS)[number - 1].split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)
    if sqlite:
        conn.exec_driver_sql(f"PRAGMA user_version = {number}")


# Profiles are stored under their normalised name (names.profile_key). A database from before that may hold
# "Alice" and "alice" as two profiles: they become one, keeping every attempt. An attempt whose item both
# spellings answered keeps its spelling in its item id (the pair must stay unique); of two cards for one rule the
# one due sooner stays, so no review comes later than either schedule had it. Runs only while a name is unmerged.
MERGE_SPELLINGS = """
    INSERT OR IGNORE INTO profiles (name, created_at)
        SELECT profile_key(name), MIN(created_at) FROM profiles WHERE name != profile_key(name)
        GROUP BY profile_key(name);
    UPDATE profiles SET created_at = (SELECT MIN(p.created_at) FROM profiles p
                                      WHERE profile_key(p.name) = profiles.name)
        WHERE name = profile_key(name);
    UPDATE attempts SET item_id = item_id || ' (' || profile || ')'
        WHERE profile != profile_key(profile) AND EXISTS (
            SELECT 1 FROM attempts a WHERE a.profile != attempts.profile AND a.item_id = attempts.item_id
            AND profile_key(a.profile) = profile_key(attempts.profile));
    UPDATE attempts SET profile = profile_key(profile) WHERE profile != profile_key(profile);
    DELETE FROM cards WHERE EXISTS (
        SELECT 1 FROM cards c WHERE c.rule_id = cards.rule_id AND c.profile != cards.profile
        AND profile_key(c.profile) = profile_key(cards.profile)
        AND (c.due < cards.due OR (c.due = cards.due AND c.profile < cards.profile)));
    UPDATE cards SET profile = profile_key(profile) WHERE profile != profile_key(profile);
    DELETE FROM profiles WHERE name != profile_key(name)
"""
