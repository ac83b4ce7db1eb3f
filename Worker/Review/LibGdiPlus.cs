namespace CollectionWorker.Review;

/// <summary>
/// ClosedXML 0.95.4 measures and draws pictures through System.Drawing, which on Linux and macOS
/// needs the native libgdiplus, even to open a workbook that contains pictures. Review sheets have
/// thumbnails, so whatever writes or reads them checks first and says how to install it.
/// </summary>
public static class LibGdiPlus
{
    /// <summary>The verbs that make or read review sheets (the service does both).</summary>
    public static bool NeededBy(string verb) => verb is "run" or "export-review" or "import-review";

    /// <summary>Null when pictures work here; otherwise what is missing and how to install it.</summary>
    public static string? Problem()
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            using var bitmap = new System.Drawing.Bitmap(1, 1);
            return null;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or PlatformNotSupportedException or EntryPointNotFoundException)
        {
            var install = OperatingSystem.IsMacOS() ? "brew install mono-libgdiplus" : "sudo apt-get install libgdiplus (Debian/Ubuntu; dnf install libgdiplus on Fedora/RHEL)";
            return $"libgdiplus is not installed, and the studio's review sheets (pictures in Excel, through System.Drawing) need it: {install}. ({e.GetBaseException().Message})";
        }
    }
}
