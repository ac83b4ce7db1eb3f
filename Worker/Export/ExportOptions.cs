using Microsoft.Extensions.Options;

namespace CollectionWorker.Export;

/// <summary>Config section <c>Export</c>: how approved photos are named and where they go.</summary>
public sealed class ExportOptions
{
    public const string Section = "Export";

    /// <summary>File name of each photo: {身份证号} (ID number), {学号} (student number), {姓名} (name), ending in .jpg.</summary>
    public string FileNamePattern { get; set; } = "{身份证号}.jpg";

    /// <summary>Folder the export is written to; empty = data/export (same as --out).</summary>
    public string Directory { get; set; } = "";

    public static readonly string[] Placeholders = ["{身份证号}", "{学号}", "{姓名}"];
}

public sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions o)
    {
        var errors = new List<string>();
        var p = o.FileNamePattern;
        var rest = ExportOptions.Placeholders.Aggregate(p, (s, ph) => s.Replace(ph, ""));
        if (!p.EndsWith(".jpg", StringComparison.Ordinal))
            errors.Add($"Export:FileNamePattern = '{p}' must end in .jpg; e.g. {{身份证号}}.jpg, {{学号}}.jpg or {{学号}}_{{姓名}}.jpg.");
        if (!p.Contains("{身份证号}") && !p.Contains("{学号}"))
            errors.Add($"Export:FileNamePattern = '{p}' must contain {{身份证号}} or {{学号}} so every file name is unique.");
        if (rest.Contains('{') || rest.Contains('}') || rest.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            errors.Add($"Export:FileNamePattern = '{p}' has an unknown placeholder or a character not allowed in file names; allowed placeholders: {string.Join(", ", ExportOptions.Placeholders)}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
