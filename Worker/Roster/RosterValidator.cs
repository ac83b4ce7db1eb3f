using CollectionWorker.Sheets;
using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;
using CollectionWorker.Campaign;

namespace CollectionWorker.Roster;

/// <summary>
/// Checks every row of a roster and turns the good ones into <see cref="StudentRecord"/>s: required
/// fields, the ID number and its check digit, birth date and gender against the ID, the teacher's
/// e-mail, duplicates within the file, and eligibility against the configured cohorts.
/// </summary>
public sealed partial class RosterValidator(CohortMatcher cohorts)
{
    private const int MaxTextLength = 100;

    public List<StudentRecord> Validate(RosterSheet sheet)
    {
        var records = new List<StudentRecord>(sheet.Rows.Count);
        var byNumber = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        // A roster repeats the same few teachers, grades, schools and tracks on every row: each distinct text is
        // checked once per file (the checks are pure), not once per student.
        var emails = new Dictionary<string, bool>(StringComparer.Ordinal);
        var grades = new Dictionary<string, bool>(StringComparer.Ordinal);
        var genders = new Dictionary<string, string?>(StringComparer.Ordinal);
        var cohortOf = new Dictionary<(string School, string Grade, string Track), CohortOptions?>();
        var columns = RosterColumns.All;
        var hasStudentEmail = sheet.FieldColumns.ContainsKey(RosterField.StudentEmail);
        var hasPhone = sheet.FieldColumns.ContainsKey(RosterField.Phone);

        foreach (var row in sheet.Rows)
        {
            List<RosterProblem>? errors = null;
            void Fail(RosterField f, string zh, string en) => (errors ??= []).Add(new RosterProblem(row.RowNumber, sheet.ColumnLabel(f), zh, en));

            for (var i = 0; i < columns.Count; i++)
            {
                var col = columns[i];
                var v = row[col.Field];
                if (col.Required && v.Length == 0)
                    Fail(col.Field, $"{col.Chinese}不能为空", $"{col.English} is required");
                else if (v.Length > MaxTextLength)
                    Fail(col.Field, $"{col.Chinese}过长（超过 {MaxTextLength} 个字符）", $"{col.English} is longer than {MaxTextLength} characters");
            }

            var name = CollapseSpaces(row[RosterField.Name]);
            var number = NationalId.Normalise(row[RosterField.StudentNumber]);
            if (number.Length > 0 && !StudentFields.IsStudentNumber(number))
                Fail(RosterField.StudentNumber, "学号只能包含字母、数字和连字符", "a student number may contain only letters, digits and hyphens");

            var gender = Remembered(genders, row[RosterField.Gender], StudentFields.ParseGender);
            if (row[RosterField.Gender].Length > 0 && gender is null)
                Fail(RosterField.Gender, $"性别“{row[RosterField.Gender]}”无法识别，应为 男 或 女", $"gender '{row[RosterField.Gender]}' is not recognised: use 男 (male) or 女 (female)");

            var id = NationalId.Normalise(row[RosterField.NationalId]);
            DateOnly idBirth = default;
            var idOk = false;
            if (id.Length > 0)
            {
                idOk = NationalId.TryValidate(id, out idBirth, out var male, out var zh, out var en);
                if (!idOk) Fail(RosterField.NationalId, zh, en);
                else if (gender is { } g && (g == "男") != male)
                    Fail(RosterField.Gender, $"性别“{g}”与身份证号不符（身份证号为{(male ? "男" : "女")}性）",
                        $"gender '{g}' does not match the ID number (which is {(male ? "male" : "female")})");
            }

            DateOnly birth = idBirth;
            var birthText = row[RosterField.BirthDate];
            if (birthText.Length > 0)
            {
                if (!StudentFields.TryParseDate(birthText, out birth))
                    Fail(RosterField.BirthDate, $"出生日期“{birthText}”无法识别，请写成 2001-09-30", $"birth date '{birthText}' is not a date: write it as 2001-09-30");
                else if (idOk && birth != idBirth)
                    Fail(RosterField.BirthDate, $"出生日期 {birth:yyyy-MM-dd} 与身份证号中的 {idBirth:yyyy-MM-dd} 不符",
                        $"birth date {birth:yyyy-MM-dd} does not match {idBirth:yyyy-MM-dd} in the ID number");
            }

            var email = row[RosterField.TeacherEmail].Normalize(NormalizationForm.FormKC).Trim();
            if (email.Length > 0 && !Remembered(emails, email, IsEmail))
                Fail(RosterField.TeacherEmail, $"班主任邮箱“{email}”格式不正确", $"teacher e-mail '{email}' is not a valid address");

            var studentEmail = row[RosterField.StudentEmail].Normalize(NormalizationForm.FormKC).Trim();
            if (studentEmail.Length > 0 && !IsEmail(studentEmail))
                Fail(RosterField.StudentEmail, $"学生邮箱“{studentEmail}”格式不正确", $"student e-mail '{studentEmail}' is not a valid address");

            var phone = NormalisePhone(row[RosterField.Phone]);
            if (phone is null)
                Fail(RosterField.Phone, $"手机号“{row[RosterField.Phone]}”格式不正确：应为 7–15 位数字（可带 +、空格或连字符），如 13800138000",
                    $"phone '{row[RosterField.Phone]}' is not a phone number: 7–15 digits (+, spaces and hyphens allowed), e.g. 13800138000");

            var grade = row[RosterField.Grade];
            if (grade.Length > 0 && !Remembered(grades, grade, g => CohortMatcher.ParseGrade(g) is not null))
                Fail(RosterField.Grade, $"年级“{grade}”中没有年份（如 2021级、2020秋）", $"grade '{grade}' has no year (e.g. 2021级, 2020秋)");

            if (number.Length > 0)
            {
                if (byNumber.TryGetValue(number, out var other))
                    Fail(RosterField.StudentNumber, $"学号 {number} 与第 {other} 行重复", $"student number {number} repeats row {other}");
                else byNumber[number] = row.RowNumber;
            }
            if (id.Length > 0)
            {
                if (byId.TryGetValue(id, out var other))
                    Fail(RosterField.NationalId, $"身份证号与第 {other} 行重复", $"the ID number repeats row {other}");
                else byId[id] = row.RowNumber;
            }

            if (errors is not null)
            {
                sheet.Problems.AddRange(errors);
                continue;
            }

            var school = row[RosterField.School];
            var track = row[RosterField.Track];
            if (!cohortOf.TryGetValue((school, grade, track), out var cohort))
                cohortOf[(school, grade, track)] = cohort = cohorts.Match(school, grade, track);
            records.Add(new StudentRecord(row.RowNumber, number, id, name, gender!, birth, grade, row[RosterField.Major],
                row[RosterField.Class], school, track, row[RosterField.Teacher], email, cohort is not null, cohort?.ToString())
            {
                StudentEmail = hasStudentEmail ? studentEmail : null,
                Phone = hasPhone ? phone : null,
            });
        }
        return records;
    }

    private static T Remembered<T>(Dictionary<string, T> seen, string text, Func<string, T> check)
    {
        if (!seen.TryGetValue(text, out var result)) seen[text] = result = check(text);
        return result;
    }

    private static bool IsEmail(string text)
    {
        if (text.Contains(' ') || text.AsSpan().Count('@') != 1) return false;
        try
        {
            var address = new MailAddress(text);
            return address.Address == text && address.Host.Contains('.') && !address.Host.EndsWith('.');
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A phone number as digits (a leading + kept); "" for an empty cell; null when it is not a phone number.</summary>
    public static string? NormalisePhone(string text)
    {
        var t = text.Normalize(NormalizationForm.FormKC).Trim();
        if (t.Length == 0) return "";
        var plus = t.StartsWith('+');
        var digits = new StringBuilder();
        foreach (var ch in plus ? t[1..] : t)
        {
            if (ch is >= '0' and <= '9') digits.Append(ch);
            else if (ch is not (' ' or '-' or '(' or ')')) return null;
        }
        return digits.Length is >= 7 and <= 15 ? (plus ? "+" : "") + digits : null;
    }

    /// <summary>Trimmed, each run of white space one space; the regular expression only where there is such a run.</summary>
    private static string CollapseSpaces(string text)
    {
        var t = text.Trim();
        for (var i = 0; i < t.Length; i++)
            if (char.IsWhiteSpace(t[i]) && (t[i] != ' ' || char.IsWhiteSpace(t[i + 1])))
                return SpaceRun().Replace(t, " ");
        return t;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpaceRun();
}
