using System.Text;
using System.Text.Json;

namespace CollectionWorker.Host;

/// <summary>
/// Where each key of appsettings.json is written: its line, found by reading the file once with a
/// JSON reader (comments and trailing commas allowed, as the configuration loader allows them).
/// Keys are configuration paths ("Campaign:UploadEnd", "Campaign:EligibleCohorts:0:School"), case-insensitive.
/// </summary>
public sealed class SettingsFile
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    private SettingsFile(string? path) => Path = path;

    /// <summary>The file's path, or null when no config folder is in use.</summary>
    public string? Path { get; }

    public static SettingsFile Read(string? configDirectory)
    {
        if (configDirectory is null) return new SettingsFile(null);
        var file = System.IO.Path.Combine(configDirectory, ConfigDirectory.FileName);
        var settings = new SettingsFile(file);
        if (!File.Exists(file)) return settings;
        var bytes = File.ReadAllBytes(file);
        try
        {
            settings.Index(bytes);
        }
        catch (JsonException)
        {
            // A syntax error is reported by the configuration loader, with its line; no key lines then.
        }
        return settings;
    }

    /// <summary>The line the key is written on, or null when the file does not hold it (an environment variable, or a default).</summary>
    public int? LineOf(string key) => _lines.TryGetValue(key, out var line) ? line : null;

    /// <summary>"appsettings.json line 4", or "environment variable CollectionWorker__Campaign__UplodEnd".</summary>
    public string Where(string key) => LineOf(key) is { } line
        ? $"{Path} line {line}"
        : $"environment variable {AppHost.EnvironmentPrefix}{key.Replace(":", "__")}";

    private void Index(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // Each open container: its path, and for an array the index of the next element.
        var stack = new Stack<(string Path, int NextIndex, bool IsArray)>();
        string? pendingName = null;
        var newlines = 0;
        var counted = 0L;

        int LineAt(long offset)
        {
            for (; counted < offset; counted++) if (bytes[counted] == (byte)'\n') newlines++;
            return newlines + 1;
        }

        string ChildPath()
        {
            if (stack.Count == 0) return "";
            var (path, next, isArray) = stack.Pop();
            string name;
            if (isArray)
            {
                name = next.ToString();
                stack.Push((path, next + 1, true));
            }
            else
            {
                name = pendingName ?? "";
                stack.Push((path, next, false));
            }
            pendingName = null;
            return path.Length == 0 ? name : $"{path}:{name}";
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingName = reader.GetString();
                    var parent = stack.Count > 0 ? stack.Peek().Path : "";
                    _lines.TryAdd(parent.Length == 0 ? pendingName! : $"{parent}:{pendingName}", LineAt(reader.TokenStartIndex));
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var start = stack.Count == 0 ? "" : ChildPath();
                    if (start.Length > 0) _lines.TryAdd(start, LineAt(reader.TokenStartIndex));
                    stack.Push((start, 0, reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    stack.Pop();
                    break;
                default:
                    var leaf = ChildPath();
                    if (leaf.Length > 0) _lines.TryAdd(leaf, LineAt(reader.TokenStartIndex));
                    break;
            }
        }
    }
}
