using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Review;

/// <summary>Registers the review stage: sheets out and decisions in for every verb, the watcher and the schedule for the service.</summary>
public static class ReviewServices
{
    public static void AddReview(IServiceCollection services)
    {
        services.AddSingleton<ReviewQueue>();
        services.AddSingleton<ReviewSheetWriter>();
        services.AddSingleton<ReviewSheetExporter>();
        services.AddSingleton<ReviewReceiptWorkbook>();
        services.AddSingleton<ReviewImporter>();
    }

    /// <summary>For the <c>run</c> verb only.</summary>
    public static void AddReviewHostedServices(IServiceCollection services)
    {
        services.AddHostedService<ReviewInboxWatcher>();
        services.AddHostedService<ReviewExportSchedule>();
    }
}
