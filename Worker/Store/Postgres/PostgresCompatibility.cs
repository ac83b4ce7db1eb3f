namespace CollectionWorker.Store.Postgres;

/// <summary>
/// What the store's SQLite-dialect SQL needs from PostgreSQL beyond <see cref="SqliteToPostgres"/>'s
/// rewriting: SQLite's functions of the same names and meaning (<c>json_each</c> over a JSON array included), a case-insensitive <c>NOCASE</c>
/// collation, and a <c>sqlite_master</c> view listing the store's tables. Created (or replaced) in the
/// store's schema by the migrator before any migration runs; sent as written, never rewritten.
/// </summary>
public static class PostgresCompatibility
{
    public const string Sql = """
        CREATE OR REPLACE FUNCTION hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE STRICT
            AS $$ SELECT upper(encode($1, 'hex')) $$;
        CREATE OR REPLACE FUNCTION hex(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
            AS $$ SELECT upper(encode(convert_to($1, 'UTF8'), 'hex')) $$;
        -- gen_random_uuid() is PostgreSQL's own cryptographic source (13 and later).
        CREATE OR REPLACE FUNCTION randomblob(bigint) RETURNS bytea LANGUAGE sql VOLATILE STRICT
            AS $$ SELECT substring(string_agg(decode(replace(gen_random_uuid()::text, '-', ''), 'hex'), ''::bytea) FROM 1 FOR greatest($1, 1)::int)
                  FROM generate_series(1, (greatest($1, 1) + 15) / 16) $$;
        CREATE OR REPLACE FUNCTION ifnull(anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE
            AS $$ SELECT coalesce($1, $2) $$;
        CREATE OR REPLACE FUNCTION instr(text, text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
            AS $$ SELECT strpos($1, $2)::bigint $$;
        -- SQLite's json_each over a JSON array passed as text: one row per element, its index and its text.
        CREATE OR REPLACE FUNCTION json_each(text) RETURNS TABLE (key bigint, value text) LANGUAGE sql IMMUTABLE STRICT
            AS $$ SELECT (ordinality - 1)::bigint, element FROM json_array_elements_text($1::json) WITH ORDINALITY AS e(element, ordinality) $$;
        CREATE OR REPLACE FUNCTION last_insert_rowid() RETURNS bigint LANGUAGE sql VOLATILE
            AS $$ SELECT lastval() $$;
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'nocase' AND collnamespace = current_schema()::regnamespace) THEN
                CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
            END IF;
        END $$;
        CREATE OR REPLACE VIEW sqlite_master AS
            SELECT 'table'::text AS type, tablename::text AS name, tablename::text AS tbl_name
            FROM pg_tables WHERE schemaname = current_schema();
        """;
}
