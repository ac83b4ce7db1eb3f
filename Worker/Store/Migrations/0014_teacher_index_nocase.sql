-- The teacher's own students (every teacher digest, reminder and workbook) are read with
-- "teacher_email = @email COLLATE NOCASE": an e-mail address matches whatever its case in the roster.
-- 0001's index on teacher_email compares bytes, so it could not serve that query, and every teacher's
-- read was a scan of the whole roster (200,000 students: the province benchmark, docs/benchmarks.md).
-- The same index, in the collation the query compares in. One form for both stores: on PostgreSQL
-- NOCASE is the case-insensitive ICU collation the store creates (Store/Postgres/PostgresCompatibility).
DROP INDEX ix_students_teacher;
CREATE INDEX ix_students_teacher ON students(teacher_email COLLATE NOCASE);
