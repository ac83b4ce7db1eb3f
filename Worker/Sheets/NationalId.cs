using System.Globalization;
using System.Text;

namespace CollectionWorker.Sheets;

/// <summary>
/// The 18-character resident identity number (GB 11643-1999): 6-digit area code, 8-digit birth date,
/// 3-digit sequence (odd = male, even = female) and an ISO 7064 MOD 11-2 check character (0-9 or X).
/// </summary>
public static class NationalId
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    /// <summary>Upper-case, half-width, no spaces: "４４０６０…ｘ " becomes "44060…X".</summary>
    public static string Normalise(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormKC))
            if (!char.IsWhiteSpace(ch)) sb.Append(char.ToUpperInvariant(ch));
        return sb.ToString();
    }

    public static char ComputeCheckChar(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    /// <summary>Checks a normalised number; on failure gives the reason in Chinese and English.</summary>
    public static bool TryValidate(string id, out DateOnly birthDate, out bool male, out string errorZh, out string errorEn)
    {
        birthDate = default;
        male = false;
        errorZh = errorEn = "";
        if (id.Length == 15 && id.All(char.IsAsciiDigit))
        {
            errorZh = "15位旧身份证号不能使用，请填写18位身份证号";
            errorEn = "15-digit (old) ID numbers are not accepted; use the 18-digit number";
            return false;
        }
        if (id.Length != 18)
        {
            errorZh = $"身份证号应为18位，实际为{id.Length}位";
            errorEn = $"an ID number has 18 characters, this one has {id.Length}";
            return false;
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(id[i]))
            {
                errorZh = $"身份证号第{i + 1}位应为数字";
                errorEn = $"character {i + 1} of the ID number must be a digit";
                return false;
            }
        }
        if (!char.IsAsciiDigit(id[17]) && id[17] != 'X')
        {
            errorZh = "身份证号最后一位应为数字或X";
            errorEn = "the last character of the ID number must be a digit or X";
            return false;
        }
        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out birthDate)
            || birthDate.Year < 1900)
        {
            errorZh = $"身份证号中的出生日期 {id.Substring(6, 8)} 不是有效日期";
            errorEn = $"the birth date {id.Substring(6, 8)} inside the ID number is not a valid date";
            return false;
        }
        var expected = ComputeCheckChar(id.AsSpan(0, 17));
        if (expected != id[17])
        {
            errorZh = $"身份证号校验位错误（应为 {expected}，实为 {id[17]}），请核对号码";
            errorEn = $"the ID number's check digit is wrong (expected {expected}, found {id[17]}): check the number";
            return false;
        }
        male = (id[16] - '0') % 2 == 1;
        return true;
    }

    /// <summary>Shows the first 6 and the last 4 characters only, for places that must not show the whole number.</summary>
    public static string Mask(string id) =>
        id.Length <= 10 ? new string('*', id.Length) : string.Concat(id.AsSpan(0, 6), new string('*', id.Length - 10), id.AsSpan(id.Length - 4));
}
