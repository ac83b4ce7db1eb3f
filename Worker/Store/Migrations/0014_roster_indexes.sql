-- Indexes a province-sized roster needs (200,000 students: the province benchmark, docs/benchmarks.md).
--
-- The teacher's own students (every teacher digest, reminder and workbook) are read with
-- "teacher_email = @email COLLATE NOCASE": an e-mail address matches whatever its case in the roster.
-- 0001's index on teacher_email compares bytes, so it could not serve that query, and every teacher's
-- read was a scan of the whole roster. The same index, in the collation the query compares in. One form
-- for both stores: on PostgreSQL NOCASE is the case-insensitive ICU collation the store creates
-- (Store/Postgres/PostgresCompatibility) before the migrations run.
DROP INDEX ix_students_teacher;
CREATE INDEX ix_students_teacher ON students(teacher_email COLLATE NOCASE);

-- Every report lists students by class, then number: with both in the class index SQLite reads the
-- roster in that order instead of sorting 200,000 rows; a class's own students are still its prefix.
DROP INDEX ix_students_class;
CREATE INDEX ix_students_class ON students(class_name, student_number);
