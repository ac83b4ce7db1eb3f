using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using CollectionWorker.Host;
using Fluid;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>A rendered e-mail: subject and HTML body.</summary>
public sealed record RenderedMail(string Subject, string Html);

/// <summary>
/// The admin-edited Liquid templates in templates/: one file per e-mail, <c>NAME.liquid</c>, whose
/// subject is set with <c>{% capture subject %}…{% endcapture %}</c>. All are parsed once at start;
/// variables and filters are strict, so a typo is an error rather than a silently blank field; output
/// is HTML-encoded with an encoder that leaves Chinese readable; the subject is rendered without encoding.
/// </summary>
public sealed partial class MailTemplates
{
    public static readonly string[] Names =
    [
        "preparation-reminder", "window-open", "teacher-digest", "final-reminder", "rejection-notice", "expiry-notice",
        "review-sla-warning", "review-sla-escalation", "admin-report", "review-sheet", "review-receipt",
        // To students directly, where the roster has their address (Store/StudentNotices).
        "student-receipt", "student-rejected", "student-approved", "student-expired",
        "corrections-receipt",
    ];

    private readonly Dictionary<string, IFluidTemplate> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options;
    // Encodes &, <, >, quotes; leaves CJK and other letters as they are so the HTML source stays readable.
    private readonly HtmlEncoder _encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public MailTemplates(IOptions<NotificationsOptions> options, ConfigLocation config)
    {
        var configured = options.Value.TemplatesDirectory;
        Directory = configured.Length > 0 ? Path.GetFullPath(configured) : config.DefaultTemplatesDirectory;
        _options = new TemplateOptions { StrictVariables = true, StrictFilters = true };
        _options.MemberAccessStrategy = new UnsafeMemberAccessStrategy();
        Load();
    }

    public string Directory { get; }

    /// <summary>Every problem found when the templates were loaded: file, line, column and what is wrong.</summary>
    public List<string> Errors { get; } = [];

    private void Load()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            Errors.Add($"{Directory}: the templates folder does not exist (set Notifications:TemplatesDirectory or put templates/ beside config/).");
            return;
        }
        var parser = new FluidParser();
        foreach (var name in Names)
        {
            var file = Path.Combine(Directory, name + ".liquid");
            if (!File.Exists(file))
            {
                Errors.Add($"{file}: missing; every e-mail needs its template ({string.Join(", ", Names)}).");
                continue;
            }
            var source = File.ReadAllText(file);
            if (!parser.TryParse(source, out var template, out var error))
            {
                Errors.Add($"{file}:{DescribeParseError(error)}");
                continue;
            }
            _templates[name] = template;
            _sources[name] = source;
        }
    }

    /// <summary>Fluid says "... at (line:column)"; put the position first, as compilers do.</summary>
    private static string DescribeParseError(string error)
    {
        var m = Position().Match(error);
        return m.Success ? $"{m.Groups[1].Value}:{m.Groups[2].Value}: {error}" : $" {error}";
    }

    public async Task<RenderedMail> RenderAsync(string name, IReadOnlyDictionary<string, object?> model)
    {
        if (!_templates.TryGetValue(name, out var template))
            throw new InvalidOperationException($"No usable template '{name}' in {Directory}: {string.Join("; ", Errors)}");
        var context = new TemplateContext(_options);
        foreach (var (key, value) in model) context.SetValue(key, value);
        try
        {
            var html = await template.RenderAsync(context, _encoder, isolateContext: false);
            // The subject is a plain header, never HTML: rendered again without encoding (a '+' stays '+', '&' stays '&'),
            // not isolated so the captured subject is readable from the context afterwards, on one line.
            var plain = new TemplateContext(_options);
            foreach (var (key, value) in model) plain.SetValue(key, value);
            await template.RenderAsync(plain, NullEncoder.Default, isolateContext: false);
            var subject = Whitespace().Replace(plain.GetValue("subject").ToStringValue(), " ").Trim();
            if (subject.Length == 0)
                throw new InvalidOperationException("the template sets no subject: add {% capture subject %}…{% endcapture %}");
            return new RenderedMail(subject, html.Trim());
        }
        catch (Exception e) when (e is InvalidOperationException or FluidException)
        {
            var detail = e.Message.Contains("Fluid.Ast.") && FirstUnknownPath(_sources[name], model) is { } path
                ? $"'{path}' is not in this e-mail's data (misspelt?)"
                : e.Message;
            throw new TemplateRenderException($"{Path.Combine(Directory, name + ".liquid")}: {detail}", e);
        }
    }

    /// <summary>
    /// Fluid names a missing member by its AST type, not its name; find the dotted path in the source
    /// whose root is in the model but whose member is not. Loop variables are not in the model and are skipped.
    /// </summary>
    private static string? FirstUnknownPath(string source, IReadOnlyDictionary<string, object?> model)
    {
        foreach (Match m in DottedPath().Matches(source))
        {
            var parts = m.Value.Split('.');
            if (!model.TryGetValue(parts[0], out var value)) continue;
            foreach (var part in parts.Skip(1))
            {
                if (value is IReadOnlyDictionary<string, object?> d && d.TryGetValue(part, out var next)) value = next;
                else if (value is IDictionary<string, object?> d2 && d2.TryGetValue(part, out var next2)) value = next2;
                else if (value is System.Collections.IList && part is "size" or "first" or "last") break;
                else return m.Value;
            }
        }
        return null;
    }

    [GeneratedRegex(@"(?<![\w.])[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+")]
    private static partial Regex DottedPath();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\((\d+):(\d+)\)")]
    private static partial Regex Position();
}

public sealed class TemplateRenderException(string message, Exception inner) : Exception(message, inner);

/// <summary>How a preview rendered from made-up students says so, in its subject and at the top of its body.</summary>
public static class SampleLabel
{
    public const string Subject = "【示例数据 SAMPLE DATA】";

    public const string Banner =
        "<p style=\"border:2px dashed #C00000;padding:8px;color:#C00000\"><b>示例数据，仅供预览版式：以下学生、班级和数字均为虚构，不是本次采集的真实数据。</b><br>" +
        "Sample data for previewing the layout: the students, classes and numbers below are made up, not this campaign's.</p>";
}
