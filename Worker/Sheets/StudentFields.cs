using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CollectionWorker.Campaign;

namespace CollectionWorker.Sheets;

/// <summary>
/// How a student's details are read from what people type, the same for a roster and for a teacher's
/// correction: gender words, dates in the usual Chinese and ISO forms, the student number's characters.
/// </summary>
public static partial class StudentFields
{
    public static string? ParseGender(string text) => CohortMatcher.Normalise(text) switch
    {
        "男" or "男性" or "m" or "male" => "男",
        "女" or "女性" or "f" or "female" => "女",
        _ => null,
    };

    private static readonly string[] DateFormats =
        ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日", "yyyy-MM-dd HH:mm:ss", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm"];

    public static bool TryParseDate(string text, out DateOnly date)
    {
        var t = text.Normalize(NormalizationForm.FormKC).Trim();
        if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
        {
            date = DateOnly.FromDateTime(dt);
            return true;
        }
        date = default;
        return false;
    }

    /// <summary>Letters, digits and hyphens, starting with a letter or digit (already normalised).</summary>
    public static bool IsStudentNumber(string number) => StudentNumberPattern().IsMatch(number);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-]*$")]
    private static partial Regex StudentNumberPattern();
}
