using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace CollectionWorker.Host;

/// <summary>
/// Finds keys in the configuration that no setting has (a misspelt key would otherwise fall back
/// to its default in silence): one message per key, where it is written, and the nearest known
/// key when one is close ("did you mean UploadEnd?").
/// </summary>
public static class SettingsKeys
{
    /// <summary>Top-level keys the product reads that are not options classes (the host puts the last three in itself).</summary>
    private static readonly string[] OtherSections = ["Logging", "applicationName", "contentRoot", "environment"];

    public static List<string> Unknown(IConfiguration configuration, IReadOnlyList<(string Section, Type Type)> sections, SettingsFile file)
    {
        var errors = new List<string>();
        var topLevel = sections.Select(s => s.Section.Split(':')[0]).Concat(OtherSections).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var child in configuration.GetChildren())
        {
            if (topLevel.Contains(child.Key, StringComparer.OrdinalIgnoreCase)) continue;
            errors.Add(Message(child.Path, "section", topLevel.Take(topLevel.Count - 3).ToList(), file));
        }
        // Sections nested in another's class (Inspection:Face) are checked through the outer class.
        foreach (var (section, type) in sections.Where(s => !sections.Any(o => s.Section.StartsWith(o.Section + ":", StringComparison.OrdinalIgnoreCase))))
            Check(configuration.GetSection(section), type, file, errors);
        return errors;
    }

    private static void Check(IConfigurationSection section, Type type, SettingsFile file, List<string> errors)
    {
        if (IsLeaf(type)) return;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) return; // free keys by design
        var element = ElementType(type);
        if (element is not null)
        {
            foreach (var item in section.GetChildren()) Check(item, element, file, errors);
            return;
        }
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || !IsLeaf(p.PropertyType)).ToList();
        foreach (var child in section.GetChildren())
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                errors.Add(Message(child.Path, "key", properties.Select(p => p.Name).ToList(), file));
                continue;
            }
            Check(child, Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, file, errors);
        }
    }

    private static string Message(string path, string what, IReadOnlyList<string> known, SettingsFile file)
    {
        var name = path.Split(':')[^1];
        var parent = path.Contains(':') ? path[..path.LastIndexOf(':')] : "";
        var nearest = Nearest(name, known);
        var hint = nearest is null
            ? $"known {what}s{(parent.Length > 0 ? $" in {parent}" : "")}: {string.Join(", ", known)}"
            : $"did you mean {nearest}?";
        var hintZh = nearest is null ? "请对照 README 的设置表检查拼写" : $"是否应为 {nearest}？";
        return $"{path}: 未知的设置项，{hintZh} ({file.Where(path)}) / unknown {what} '{name}'{(parent.Length > 0 ? $" in {parent}" : "")}: {hint}";
    }

    /// <summary>The known name within a small edit distance (a typo), if any.</summary>
    public static string? Nearest(string name, IEnumerable<string> known)
    {
        var best = known.Select(k => (Name: k, Distance: Distance(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(k => k.Distance).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, name.Length / 3) ? best.Name : null;
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
               || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(TimeOnly) || type == typeof(DateOnly) || type == typeof(Uri);
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type)) return null;
        return type.GetInterfaces().Concat([type])
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }
}
