using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Corrections;

/// <summary>Registers the corrections stage: the seal for the teacher workbooks, the import and the consolidated workbook; the watcher for the service.</summary>
public static class CorrectionsServices
{
    public static void AddCorrections(IServiceCollection services)
    {
        services.AddSingleton<CorrectionsStore>();
        services.AddSingleton<CorrectionSeals>();
        services.AddSingleton<ICorrectionSeals>(sp => sp.GetRequiredService<CorrectionSeals>());
        services.AddSingleton<CorrectionReceiptWorkbook>();
        services.AddSingleton<CorrectionsWorkbook>();
        services.AddSingleton<CorrectionImporter>();
        services.AddSingleton<ConsolidatedCorrections>();
    }

    /// <summary>For the <c>run</c> verb only.</summary>
    public static void AddCorrectionsHostedServices(IServiceCollection services) => services.AddHostedService<CorrectionsInboxWatcher>();
}
