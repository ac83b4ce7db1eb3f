using System.Globalization;

namespace CollectionWorker.Sheets;

/// <summary>
/// Excel's built-in number formats (the ids a file may use without spelling the code out), which of
/// them are dates, and a number shown as its format shows it (ExcelNumberFormat, pure managed code).
/// </summary>
public static class NumberFormats
{
    private static readonly Dictionary<int, string> Codes = new()
    {
        [0] = "General", [1] = "0", [2] = "0.00", [3] = "#,##0", [4] = "#,##0.00", [9] = "0%", [10] = "0.00%", [11] = "0.00E+00",
        [12] = "# ?/?", [13] = "# ??/??", [14] = "yyyy-mm-dd", [15] = "d-mmm-yy", [16] = "d-mmm", [17] = "mmm-yy", [18] = "h:mm AM/PM",
        [19] = "h:mm:ss AM/PM", [20] = "h:mm", [21] = "h:mm:ss", [22] = "yyyy-mm-dd h:mm", [37] = "#,##0 ;(#,##0)", [38] = "#,##0 ;[Red](#,##0)",
        [39] = "#,##0.00;(#,##0.00)", [40] = "#,##0.00;[Red](#,##0.00)", [45] = "mm:ss", [46] = "[h]:mm:ss", [47] = "mmss.0",
        [48] = "##0.0E+0", [49] = "@",
        // The Chinese (zh-CN) built-ins: 年/月/日 dates and 时/分 times.
        [27] = "yyyy\"年\"m\"月\"", [28] = "m\"月\"d\"日\"", [29] = "m\"月\"d\"日\"", [30] = "m-d-yy", [31] = "yyyy\"年\"m\"月\"d\"日\"",
        [32] = "h\"时\"mm\"分\"", [33] = "h\"时\"mm\"分\"ss\"秒\"", [34] = "上午/下午h\"时\"mm\"分\"", [35] = "上午/下午h\"时\"mm\"分\"ss\"秒\"",
        [36] = "yyyy\"年\"m\"月\"", [50] = "yyyy\"年\"m\"月\"", [51] = "m\"月\"d\"日\"", [52] = "yyyy\"年\"m\"月\"", [53] = "m\"月\"d\"日\"",
        [54] = "m\"月\"d\"日\"", [55] = "上午/下午h\"时\"mm\"分\"", [56] = "上午/下午h\"时\"mm\"分\"ss\"秒\"", [57] = "yyyy\"年\"m\"月\"",
        [58] = "m\"月\"d\"日\"",
    };

    /// <summary>The code of a built-in format id; null for an id that needs the file's own code.</summary>
    public static string? BuiltIn(int id) => Codes.GetValueOrDefault(id);

    /// <summary>A date (or time) format: the number is a date serial.</summary>
    public static bool IsDate(int id, ExcelNumberFormat.NumberFormat? format) =>
        id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58 || format is { IsDateTimeFormat: true };

    /// <summary>A number as its cell shows it: a date as yyyy-MM-dd (with the time when it has one), General as plain digits.</summary>
    public static string Display(double value, int id, ExcelNumberFormat.NumberFormat? format, bool isDate)
    {
        if (isDate)
        {
            if (value is < -657435 or > 2958465) return Plain(value);
            var date = DateTime.FromOADate(value);
            return date.TimeOfDay == TimeSpan.Zero
                ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        }
        if (id == 0 || format is null) return Plain(value);
        try
        {
            return format.Format(value, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return Plain(value);
        }
    }

    /// <summary>A date serial as yyyy-MM-dd (the time left out); a serial no calendar has, as its digits.</summary>
    public static string DateText(double serial) =>
        serial is < -657435 or > 2958465 ? Plain(serial) : DateTime.FromOADate(serial).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A whole number without a decimal point, any other with up to 15 significant digits (as Excel keeps them).</summary>
    public static string Plain(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e15 ? d.ToString("0", CultureInfo.InvariantCulture) : d.ToString("G15", CultureInfo.InvariantCulture);
}
