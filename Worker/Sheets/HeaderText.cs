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

    /// <summary>
    /// Which column a header cell names: "学号", "Student Number", "学号 StudentNumber", "*学号（必填）". The whole
    /// text is tried first, then each word, so "Teacher Email" is not taken for "Teacher".
    /// </summary>
    public static T? Recognise<T>(string header, IEnumerable<(T Field, string[] Aliases)> columns) where T : struct
    {
        var whole = Clean(header);
        if (whole.Length == 0) return null;
        if (Find(whole) is { } f) return f;
        foreach (var word in header.Split([' ', '/', '\n', '\r', '\t', '|', '　'], StringSplitOptions.RemoveEmptyEntries))
            if (Find(Clean(word)) is { } g) return g;
        return null;

        T? Find(string cleaned)
        {
            foreach (var (field, aliases) in columns)
                if (aliases.Contains(cleaned)) return field;
            return null;
        }
    }
}
