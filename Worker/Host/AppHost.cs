using CollectionWorker.Campaign;
using CollectionWorker.Corrections;
using CollectionWorker.Export;
using CollectionWorker.Deadlines;
using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using CollectionWorker.Intake;
using CollectionWorker.Logging;
using CollectionWorker.Notifications;
using CollectionWorker.Payments;
using CollectionWorker.Report;
using CollectionWorker.Review;
using CollectionWorker.Roster;
using CollectionWorker.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Hosting.WindowsServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Host;

/// <summary>Builds the one host every verb uses: configuration, logging, options and the stages.</summary>
public static class AppHost
{
    public const string EnvironmentPrefix = "CollectionWorker__";

    public static IHost Build(CommandLine commandLine, string? configDirectory, TimeProvider? time = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "CollectionWorker",
            ContentRootPath = configDirectory ?? AppContext.BaseDirectory,
        });

        var configuration = builder.Configuration;
        if (configDirectory is not null)
            configuration.AddJsonFile(Path.Combine(configDirectory, ConfigDirectory.FileName), optional: false, reloadOnChange: false);
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        if (commandLine.DataDirectory is { } data)
            configuration.AddInMemoryCollection([new("Storage:DataDirectory", data)]);

        var isService = commandLine.Verb == "run";
        // Verbs print results; only the service follows the Logging section (verbs log warnings and errors).
        if (isService) builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(isService ? LogLevel.Information : LogLevel.Warning);
        // Console lines in campaign time with the offset (under systemd the journal's format); see Worker/Logging.
        builder.Logging.AddConsole().AddConsoleFormatter<CampaignConsoleFormatter, ConsoleFormatterOptions>();
        if (!SystemdHelpers.IsSystemdService())
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = CampaignConsoleFormatter.Name);
        builder.Services.AddSingleton<CampaignTime>();
        // Started by hand, the service also keeps its log in data/logs/ (systemd and Windows keep their own).
        if (isService && !LogFileProvider.ManagedElsewhere()) builder.Services.AddSingleton<ILoggerProvider, LogFileProvider>();
        // Verbs print results on stdout; their log lines go to stderr.
        if (!isService)
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddWindowsService(o => o.ServiceName = "CollectionWorker");
        builder.Services.AddSystemd();

        builder.Services.AddSingleton(new ConfigLocation(configDirectory));
        AddStages(builder.Services, configuration, time ?? TimeProvider.System);
        if (isService)
        {
            builder.Services.AddHostedService<StoreWatch>();
            builder.Services.AddHostedService<RosterInboxWatcher>();
            builder.Services.AddHostedService<OutboxSender>();
            builder.Services.AddHostedService<ExportRequestService>();
            DeadlineScheduling.AddDeadlineScheduler(builder.Services, time ?? TimeProvider.System, ConfiguredProvider(configuration));
            builder.Services.AddHostedService<DropFolderWatcher>();
            builder.Services.AddHostedService<InspectionStage>();
            ReviewServices.AddReviewHostedServices(builder.Services);
            builder.Services.AddPaymentsHostedServices();
            CorrectionsServices.AddCorrectionsHostedServices(builder.Services);
        }
        // Last, after every provider: ID numbers masked and control characters escaped in every log.
        SafeLoggerProvider.WrapAll(builder.Services);
        return builder.Build();
    }

    /// <summary>Storage:Provider as far as registration needs it; a wrong value is reported by the options validation.</summary>
    private static StoreProvider ConfiguredProvider(IConfiguration configuration) =>
        Enum.TryParse<StoreProvider>(configuration["Storage:Provider"], ignoreCase: true, out var p) ? p : StoreProvider.Sqlite;

    private static void AddStages(IServiceCollection services, IConfiguration configuration, TimeProvider time)
    {
        var options = new ValidatedOptions(configuration);
        services.AddSingleton(options);
        options.Add<StorageOptions, StorageOptionsValidator>(services, configuration, StorageOptions.Section);
        options.Add<CampaignOptions, CampaignOptionsValidator>(services, configuration, CampaignOptions.Section);
        options.Add<RosterOptions, RosterOptionsValidator>(services, configuration, RosterOptions.Section);
        options.Add<IntakeOptions, IntakeOptionsValidator>(services, configuration, IntakeOptions.Section);
        options.Add<SmtpOptions, SmtpOptionsValidator>(services, configuration, SmtpOptions.Section);
        options.Add<NotificationsOptions, NotificationsOptionsValidator>(services, configuration, NotificationsOptions.Section);
        services.AddOptions<RecipientsOptions>().Bind(configuration.GetSection(RecipientsOptions.Section)); // the same keys, validated above
        options.Add<ExportOptions, ExportOptionsValidator>(services, configuration, ExportOptions.Section);
        options.Add<DeadlinesOptions, DeadlinesOptionsValidator>(services, configuration, DeadlinesOptions.Section);
        options.Add<FaceOptions, FaceOptionsValidator>(services, configuration, FaceOptions.Section);
        options.Add<InspectionOptions, InspectionOptionsValidator>(services, configuration, InspectionOptions.Section);
        options.Add<ReviewOptions, ReviewOptionsValidator>(services, configuration, ReviewOptions.Section);
        options.Add<PaymentsOptions, PaymentsOptionsValidator>(services, configuration, PaymentsOptions.Section);
        options.Add<CorrectionsOptions, CorrectionsOptionsValidator>(services, configuration, CorrectionsOptions.Section);

        services.AddSingleton(time);
        services.AddSingleton(new DataDirectoryBase(
            WindowsServiceHelpers.IsWindowsService() ? AppContext.BaseDirectory : Directory.GetCurrentDirectory()));
        services.AddSingleton<DataPaths>();
        services.AddSingleton<CollectionWorker.Security.DataDirectoryPermissions>();
        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<WorkClaims>();
        services.AddSingleton<StoreOpening>();
        services.AddSingleton<ServiceFailure>();
        services.AddSingleton<ProgressReport>();
        services.AddSingleton<PaymentStanding>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<Outbox>());
        services.AddSingleton<SubmissionLedger>();
        services.AddSingleton<InstallationIdentity>();
        services.AddSingleton(sp => new CampaignClock(time, sp.GetRequiredService<IOptions<CampaignOptions>>().Value));

        services.AddSingleton(sp => new CohortMatcher(sp.GetRequiredService<IOptions<CampaignOptions>>().Value.Cohorts));
        services.AddSingleton<RosterWorkbookReader>();
        services.AddSingleton<RosterValidator>();
        services.AddSingleton<RosterImporter>();

        // Each check is one registration; the inspector runs all of them (a face check is one more).
        foreach (var check in PhotoInspector.BuiltInChecks()) services.AddSingleton(typeof(IPhotoCheck), check);
        services.AddSingleton<IPhotoCheck, CollectionWorker.Inspection.Face.FaceCheck>();
        services.AddSingleton(sp => new PhotoInspector(sp.GetRequiredService<IOptions<InspectionOptions>>().Value,
            sp.GetServices<IPhotoCheck>(), sp.GetRequiredService<ILogger<PhotoInspector>>()));
        services.AddSingleton<HardStandards>();
        services.AddSingleton<IHardStandards>(sp => sp.GetRequiredService<HardStandards>());

        services.AddSingleton<MailTemplates>();
        services.AddSingleton<MailModelBuilder>();
        services.AddSingleton<StudentMailModel>();
        services.AddSingleton<TeacherWorkbook>();
        services.AddSingleton<AdminReportWorkbook>();
        services.AddSingleton<MailComposer>();
        services.AddSingleton<MailTransportFactory>();

        services.AddSingleton<ApprovedExporter>();
        services.AddSingleton<ExportProgress>();
        services.AddSingleton<AutoExport>();

        DeadlineScheduling.AddDeadlines(services);
        services.AddIntake();
        ReviewServices.AddReview(services);
        CorrectionsServices.AddCorrections(services);
        services.AddReport();
        services.AddPayments();

        // One detector per process: loading verifies and compiles both networks (tens of ms); created on first use.
        services.AddSingleton<FaceDetector>();
    }

    /// <summary>
    /// Problems with the templates: a parse error (file:line:column), a missing file, or a variable or
    /// filter a template uses that the e-mail's data does not have (found by rendering each once).
    /// </summary>
    public static async Task<List<string>> CheckTemplatesAsync(IServiceProvider services)
    {
        var templates = services.GetRequiredService<MailTemplates>();
        var errors = new List<string>(templates.Errors);
        if (errors.Count > 0) return errors;
        var models = services.GetRequiredService<MailModelBuilder>();
        foreach (var name in MailTemplates.Names)
        {
            try
            {
                await templates.RenderAsync(name, models.Sample(name));
            }
            catch (TemplateRenderException e)
            {
                errors.Add(e.Message);
            }
        }
        return errors;
    }

    /// <summary>Creates the data directory's folders and opens the store (schema up to date, sound, identity pinned).</summary>
    /// <exception cref="StoreUnusableException">the store is damaged, or missing or empty beside an archive of photos</exception>
    public static async Task PrepareStoreAsync(IServiceProvider services, CancellationToken ct = default)
    {
        // First, so every folder and file made from here on (the store included) gets the data directory's mode.
        services.GetRequiredService<CollectionWorker.Security.DataDirectoryPermissions>().Apply();
        services.GetRequiredService<DataPaths>().EnsureCreated();
        await services.GetRequiredService<StoreOpening>().OpenAsync(ct);
    }
}
