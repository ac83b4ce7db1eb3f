using CollectionWorker.Store;

namespace CollectionWorker.Host;

/// <summary>
/// Which verbs may create the data directory (run, demo, import-roster: they say so), which must find
/// an existing one with its store (every other verb that reads or writes it), and which never touch
/// it (check-config, check-photo, verify-export). A mistyped --data is refused, never a new campaign.
/// </summary>
public static class DataDirectoryRule
{
    private static readonly string[] Creating = ["run", "demo", "import-roster"];
    private static readonly string[] WithoutStore = ["check-config", "check-photo", "verify-export"];

    public static bool UsesStore(string verb) => !WithoutStore.Contains(verb);

    /// <summary>Null when the verb may go on; else the message naming the path.</summary>
    /// <param name="storeIsFile">false on PostgreSQL: the store is not a file in the data directory</param>
    public static string? Problem(string verb, DataPaths paths, bool storeIsFile = true)
    {
        if (!UsesStore(verb) || Creating.Contains(verb)) return null;
        if (!Directory.Exists(paths.Root))
            return $"数据目录 {paths.Root} 不存在：请检查 --data 或 Storage:DataDirectory 的拼写（只有 run、demo 和 import-roster 会新建数据目录）。 " +
                   $"The data directory {paths.Root} does not exist: check the spelling of --data or Storage:DataDirectory " +
                   "(only run, demo and import-roster create a data directory).";
        if (storeIsFile && !File.Exists(paths.DatabaseFile))
            return $"数据目录 {paths.Root} 中没有存储文件 {Path.GetFileName(paths.DatabaseFile)}：这不是 CollectionWorker 的数据目录，请检查 --data。 " +
                   $"The data directory {paths.Root} has no store ({Path.GetFileName(paths.DatabaseFile)}): it is not a CollectionWorker " +
                   "data directory; check --data (only run, demo and import-roster create a store).";
        return null;
    }

    /// <summary>The line a creating verb prints when the data directory is new.</summary>
    public static string? CreatingLine(string verb, DataPaths paths) =>
        Creating.Contains(verb) && !Directory.Exists(paths.Root)
            ? $"新建数据目录 Creating the data directory {paths.Root}"
            : null;
}
