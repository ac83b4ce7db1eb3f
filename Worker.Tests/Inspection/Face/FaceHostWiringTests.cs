using CollectionWorker.Host;
using CollectionWorker.Inspection.Face;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>The host binds Inspection:Face from the shipped config and hands out one detector.</summary>
public sealed class FaceHostWiringTests
{
    private static string ConfigFolder()
    {
        // The repository's config/ folder, found upwards from the test binaries.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "config", "appsettings.json")))
                return Path.Combine(dir.FullName, "config");
        throw new DirectoryNotFoundException("config/appsettings.json was not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_shipped_config_is_valid_and_the_detector_is_one_per_process()
    {
        using var host = AppHost.Build(CommandLine.Parse(["check-config"]), ConfigFolder());
        var services = host.Services;

        Assert.Empty(services.GetRequiredService<ValidatedOptions>().Check(services));
        var detector = services.GetRequiredService<FaceDetector>();
        Assert.Same(detector, services.GetRequiredService<FaceDetector>());
        Assert.Equal(BlazeFaceModelFiles.DefaultDirectory, detector.ModelDirectory);
    }
}
