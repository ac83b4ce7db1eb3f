using System.Text;

namespace CollectionWorker.Sheets;

/// <summary>How a column header typed by a person is compared with the names a reader knows.</summary>
public static class HeaderText
{
    /// <summary>
    /// Width-folded, lower case, without remarks in brackets ("学号（必填）"), spaces and marks such as
    /// "*", ":", "_", "-", ".": "Student No." and "*学号（必填）" become "studentno" and "学号".
    /// </summary>
    public static string Clean(string text)
    {
        var n = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(n.Length);
        var depth = 0;
        foreach (var ch in n)
        {
            if (ch is '(' or '[' or '【') { depth++; continue; }
            if (ch is ')' or ']' or '】') { depth = Math.Max(0, depth - 1); continue; }
            if (depth > 0 || char.IsWhiteSpace(ch) || ch is '*' or ':' or '_' or '-' or '.') continue;
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>The words of a bilingual header ("学号 StudentNumber", "交易号/Transaction ID").</summary>
    public static string[] Words(string header) =>
        header.Split([' ', '/', '\n', '\r', '\t', '|', '　'], StringSplitOptions.RemoveEmptyEntries);
}
