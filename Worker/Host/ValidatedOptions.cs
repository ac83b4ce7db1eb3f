using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Host;

/// <summary>
/// Registers an options class bound to its config section, with its validator, checked at start;
/// and remembers it so <see cref="Check"/> (used by start-up and check-config) can validate every
/// section and report every problem at once, each naming its key.
/// </summary>
public sealed class ValidatedOptions
{
    private readonly List<(string Section, Action<IServiceProvider> Touch)> _registered = [];

    public void Add<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(section), b => b.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        _registered.Add((section, sp => _ = sp.GetRequiredService<IOptions<TOptions>>().Value));
    }

    /// <summary>Every problem in the configuration, in Chinese-admin-readable English naming the key.</summary>
    public List<string> Check(IServiceProvider services)
    {
        var errors = new List<string>();
        foreach (var (section, touch) in _registered)
        {
            try
            {
                touch(services);
            }
            catch (OptionsValidationException e)
            {
                errors.AddRange(e.Failures);
            }
            catch (InvalidOperationException e)
            {
                // The binder's own messages name the path and value; add what the formats are.
                errors.Add($"{e.Message} (section '{section}': times are ISO-8601 with offset, e.g. 2022-05-05T00:00:00+08:00; durations are d.hh:mm:ss, e.g. 2.00:00:00; unknown keys are not allowed)");
            }
        }
        return errors;
    }
}
