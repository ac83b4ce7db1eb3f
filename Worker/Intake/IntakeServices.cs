using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Intake;

/// <summary>The intake stage's services; the watcher itself is added only for the <c>run</c> verb.</summary>
public static class IntakeServices
{
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddSingleton<FileNameMatcher>();
        services.AddSingleton<PhotoArchive>();
        services.AddSingleton<SetAsideFolder>();
        services.AddSingleton<SubmissionRecorder>();
        services.AddSingleton<IntakeProcessor>();
        services.AddSingleton<IntakeReport>();
        services.AddSingleton<DropFolderHeartbeat>();
        return services;
    }
}
