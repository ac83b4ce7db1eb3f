using System.Diagnostics;

namespace CollectionWorker.Tests.Support;

/// <summary>A real, tiny file system for full-disk tests: a tmpfs mounted over a folder (root on Linux; see <see cref="RootFactAttribute"/>).</summary>
public static class SmallDisk
{
    public static void Mount(string path, string size) => Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);

    public static void Unmount(string path) => Run("umount", "-l", path);

    /// <summary>Writes until the file system says it is full.</summary>
    public static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var chunk = new byte[16 * 1024];
        try
        {
            while (true) stream.Write(chunk);
        }
        catch (IOException)
        {
            // Full.
        }
        try
        {
            // Whatever is left below a chunk, byte by byte.
            while (true) stream.Write(chunk, 0, 1);
        }
        catch (IOException)
        {
        }
    }

    private static void Run(string command, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{command} {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
    }
}
