using Xunit;

namespace CollectionWorker.Tests.Support;

/// <summary>A test that mounts a file system (a tiny tmpfs): it runs as root on Linux (as CI does) and is skipped, saying why, elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            Skip = "needs root on Linux to mount a small tmpfs (run as CI does)";
    }
}
