using System.Text.RegularExpressions;
using CollectionWorker.Campaign;
using CollectionWorker.Sheets;

namespace CollectionWorker.Corrections;

/// <summary>What the check made of one typed correction: the value as the roster would store it, or why it is refused.</summary>
public sealed record FieldCheck(DiplomaField Field, string Typed, string? NewValue, string ErrorZh = "", string ErrorEn = "")
{
    public bool Valid => NewValue is not null;
}

/// <summary>
/// Checks a teacher's corrections of one student as the roster import would check the corrected row:
/// the ID number (length, digits, date inside, check digit), the gender against the ID's 17th digit,
/// the birth date as a date and against the ID, the student number's characters, the grade's year,
/// names and majors not empty nor absurd. A correction of the ID is checked against the gender and birth
/// date the student will then have (corrected or on record), so a diploma never gets a mismatch.
/// </summary>
public static partial class CorrectionChecker
{
    private const int MaxTextLength = 100;

    public static List<FieldCheck> Check(StudentOnRecord student, IReadOnlyDictionary<DiplomaField, string> typed)
    {
        var checks = typed.OrderBy(t => Array.IndexOf(CorrectionSheetLayout.Fields, t.Key)).Select(t => Normalise(t.Key, t.Value)).ToList();
        var byField = checks.ToDictionary(c => c.Field);

        // The details the student will have once the valid corrections are applied.
        string Effective(DiplomaField f) => byField.TryGetValue(f, out var c) && c.Valid ? c.NewValue! : student.Value(f);
        var idText = Effective(DiplomaField.NationalId);
        // A new ID that is itself invalid is refused with its reason; the other details wait for a valid one.
        if (!NationalId.TryValidate(idText, out var idBirth, out var male, out _, out _)) return checks;
        var idGender = male ? "男" : "女";

        for (var i = 0; i < checks.Count; i++)
        {
            var c = checks[i];
            if (!c.Valid) continue;
            if (c.Field == DiplomaField.Gender && c.NewValue != idGender)
                checks[i] = c with
                {
                    NewValue = null,
                    ErrorZh = $"性别“{c.NewValue}”与身份证号不符（身份证号第 17 位表示{idGender}性）",
                    ErrorEn = $"gender {c.NewValue} does not match the ID number (its 17th digit says {(male ? "male" : "female")})",
                };
            else if (c.Field == DiplomaField.BirthDate && c.NewValue != idBirth.ToString("yyyy-MM-dd"))
                checks[i] = c with
                {
                    NewValue = null,
                    ErrorZh = $"出生日期 {c.NewValue} 与身份证号中的 {idBirth:yyyy-MM-dd} 不符",
                    ErrorEn = $"birth date {c.NewValue} does not match {idBirth:yyyy-MM-dd} in the ID number",
                };
            else if (c.Field == DiplomaField.NationalId && Effective(DiplomaField.Gender) != idGender)
                checks[i] = c with
                {
                    NewValue = null,
                    ErrorZh = $"新身份证号表示{idGender}性，而性别为“{Effective(DiplomaField.Gender)}”：如性别也有误，请同时填写正确的性别",
                    ErrorEn = $"the new ID number says {(male ? "male" : "female")} but the gender is {Effective(DiplomaField.Gender)}: if the gender is wrong too, correct it in the same row",
                };
            else if (c.Field == DiplomaField.NationalId && Effective(DiplomaField.BirthDate) != idBirth.ToString("yyyy-MM-dd"))
                checks[i] = c with
                {
                    NewValue = null,
                    ErrorZh = $"新身份证号中的出生日期为 {idBirth:yyyy-MM-dd}，而出生日期为 {Effective(DiplomaField.BirthDate)}：如出生日期也有误，请同时填写正确的出生日期",
                    ErrorEn = $"the new ID number holds the birth date {idBirth:yyyy-MM-dd} but the birth date is {Effective(DiplomaField.BirthDate)}: if it is wrong too, correct it in the same row",
                };
        }
        return checks;
    }

    /// <summary>The value as the roster stores it, or why it cannot be one.</summary>
    public static FieldCheck Normalise(DiplomaField field, string typed)
    {
        var text = typed.Trim();
        FieldCheck Bad(string zh, string en) => new(field, typed, null, zh, en);
        if (text.Length > MaxTextLength)
            return Bad($"{CorrectionSheetLayout.Chinese(field)}过长（超过 {MaxTextLength} 个字符）", $"the {CorrectionSheetLayout.English(field)} is longer than {MaxTextLength} characters");
        switch (field)
        {
            case DiplomaField.Name:
                var name = SpaceRun().Replace(text, " ");
                if (name.Any(ch => char.IsDigit(ch) || char.IsControl(ch) || "@#$%^&*=<>/\\|{}[]".Contains(ch)))
                    return Bad($"姓名“{name}”含有数字或符号，请填写证件上的姓名", $"the name '{name}' contains digits or symbols: type the name as on the ID card");
                return new(field, typed, name);
            case DiplomaField.Gender:
                return StudentFields.ParseGender(text) is { } gender
                    ? new(field, typed, gender)
                    : Bad($"性别“{text}”无法识别，应为 男 或 女", $"gender '{text}' is not recognised: use 男 (male) or 女 (female)");
            case DiplomaField.StudentNumber:
                var number = NationalId.Normalise(text);
                return StudentFields.IsStudentNumber(number)
                    ? new(field, typed, number)
                    : Bad($"学号“{text}”只能包含字母、数字和连字符", $"the student number '{text}' may contain only letters, digits and hyphens");
            case DiplomaField.NationalId:
                var id = NationalId.Normalise(text);
                if (id.Contains('*'))
                    return Bad("请填写完整的 18 位身份证号（不要照抄左侧带 * 的号码）", "type the whole 18-character ID number (not the masked one shown on the left)");
                return NationalId.TryValidate(id, out _, out _, out var zh, out var en) ? new(field, typed, id) : Bad(zh, en);
            case DiplomaField.BirthDate:
                if (!StudentFields.TryParseDate(text, out var birth))
                    return Bad($"出生日期“{text}”无法识别，请写成 2001-09-30", $"birth date '{text}' is not a date: write it as 2001-09-30");
                return new(field, typed, birth.ToString("yyyy-MM-dd"));
            case DiplomaField.Grade:
                return CohortMatcher.ParseGrade(text) is null
                    ? Bad($"年级“{text}”中没有年份（如 2021级、2020秋）", $"grade '{text}' has no year (e.g. 2021级, 2020秋)")
                    : new(field, typed, text);
            case DiplomaField.Major:
                return text.Any(char.IsControl)
                    ? Bad("专业名称含有控制字符", "the major contains control characters")
                    : new(field, typed, SpaceRun().Replace(text, " "));
            default:
                throw new ArgumentOutOfRangeException(nameof(field));
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpaceRun();
}
