using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Host;

/// <summary>
/// Registers an options class bound to its config section, with its validator, checked at start;
/// and remembers it so <see cref="Check"/> (used by start-up and check-config) can validate every
/// section and report every problem at once: one message per key, naming the key, where it is
/// written (file and line, or the environment variable) and what is allowed; misspelt keys with the
/// nearest known key.
/// </summary>
public sealed partial class ValidatedOptions(IConfiguration configuration)
{
    private readonly List<(string Section, Type Type, Action<IServiceProvider> Touch)> _registered = [];

    public void Add<TOptions, TValidator>(IServiceCollection services, IConfiguration config, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        // Unknown keys are found by SettingsKeys (with a "did you mean"), not by the binder's developer message.
        services.AddOptions<TOptions>().Bind(config.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        _registered.Add((section, typeof(TOptions), sp => _ = sp.GetRequiredService<IOptions<TOptions>>().Value));
    }

    /// <summary>Every problem in the configuration, each once.</summary>
    public List<string> Check(IServiceProvider services)
    {
        var file = SettingsFile.Read(services.GetRequiredService<ConfigLocation>().Directory);
        var errors = SettingsKeys.Unknown(configuration, _registered.Select(r => (r.Section, r.Type)).ToList(), file);
        foreach (var (_, _, touch) in _registered)
        {
            try
            {
                touch(services);
            }
            catch (OptionsValidationException e)
            {
                errors.AddRange(e.Failures.Select(f => WithPlace(f, file)));
            }
            catch (InvalidOperationException e) when (Unconvertible().Match(e.Message) is { Success: true } m)
            {
                errors.Add(NotConvertible(m.Groups["key"].Value, m.Groups["type"].Value, file));
            }
        }
        // A validator that reads another section (Deadlines reads Campaign) meets that section's problem again.
        return errors.Distinct().ToList();
    }

    /// <summary>A value the binder could not turn into its type, said for an admin: the key, the value, where, and the form expected.</summary>
    private string NotConvertible(string key, string type, SettingsFile file)
    {
        var (zh, en) = type switch
        {
            "System.DateTimeOffset" or "System.DateTime" => ("带时区的 ISO-8601 时间，例如 2022-05-05T00:00:00+08:00", "a time in ISO-8601 with its offset, e.g. 2022-05-05T00:00:00+08:00"),
            "System.TimeSpan" => ("时长 天.时:分:秒，例如 2.00:00:00（48 小时）", "a duration days.hours:minutes:seconds, e.g. 2.00:00:00 (48 hours)"),
            "System.Int32" or "System.Int64" => ("整数", "a whole number"),
            "System.Double" or "System.Decimal" or "System.Single" => ("数字", "a number"),
            "System.Boolean" => ("true 或 false", "true or false"),
            _ when Type.GetType(type) is { IsEnum: true } e => (string.Join(" / ", Enum.GetNames(e)), "one of " + string.Join(", ", Enum.GetNames(e))),
            _ => ("正确格式的值", $"a value of type {type.Split('.')[^1]}"),
        };
        return $"{key} = '{configuration[key]}': 格式不对，应为{zh} ({file.Where(key)}) / is not {en}.";
    }

    private static string WithPlace(string failure, SettingsFile file)
    {
        var key = LeadingKey().Match(failure);
        return key.Success && file.LineOf(key.Value) is not null ? $"{failure} ({file.Where(key.Value)})" : failure;
    }

    [GeneratedRegex(@"at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex Unconvertible();

    [GeneratedRegex(@"^[A-Za-z]+(:[A-Za-z0-9]+)+")]
    private static partial Regex LeadingKey();
}
