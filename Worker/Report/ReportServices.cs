using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Report;

/// <summary>The progress report's and the student history's services.</summary>
public static class ReportServices
{
    public static IServiceCollection AddReport(this IServiceCollection services)
    {
        services.AddSingleton<ReportQueries>();
        services.AddSingleton<CampaignReportReader>();
        services.AddSingleton<ReportFile>();
        services.AddSingleton<ICampaignReportPage>(sp => sp.GetRequiredService<ReportFile>());
        services.AddSingleton<StudentHistoryReader>();
        return services;
    }
}
