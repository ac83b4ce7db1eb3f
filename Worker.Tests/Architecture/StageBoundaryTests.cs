using System.Text.RegularExpressions;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Architecture;

/// <summary>
/// Issue #13: no stage references another stage's namespace except through the store. Scans the
/// Worker's source: in a stage folder, every <c>using</c>, <c>using static</c>, alias and fully
/// qualified name of another stage's namespace is an offence, and so is a file that declares another
/// namespace than its folder's (which would see that namespace's types without naming it).
/// Host (which wires the stages together) and Store (the shared state) are excepted; the shared helper
/// folders (Campaign, Sheets, Security, Logging) are not stages, and must not reach into one either.
/// </summary>
public partial class StageBoundaryTests
{
    /// <summary>One folder each under Worker/, each with its own namespace CollectionWorker.&lt;Stage&gt;.</summary>
    public static readonly string[] Stages = ["Roster", "Intake", "Inspection", "Review", "Deadlines", "Notifications", "Export", "Report", "Payments", "Corrections"];

    /// <summary>Shared helpers: campaign dates and cohorts, workbook house rules, file permissions, log formatting.</summary>
    public static readonly string[] SharedHelpers = ["Campaign", "Sheets", "Security", "Logging"];

    /// <summary>
    /// References still allowed, as "Folder/File.cs -> CollectionWorker.Stage", each with its reason.
    /// Empty: every stage reaches the others only through Store.
    /// </summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal);

    [GeneratedRegex(@"\bCollectionWorker\.(?<ns>[A-Z][A-Za-z]*)\b")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^\s*namespace\s+CollectionWorker\.(?<ns>[A-Za-z]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    /// <summary>Every offence under <paramref name="workerDirectory"/>: "Folder/File.cs:line -> CollectionWorker.Other (text)".</summary>
    public static List<string> Offences(string workerDirectory)
    {
        var offences = new List<string>();
        foreach (var folder in Stages.Concat(SharedHelpers))
        {
            var dir = Path.Combine(workerDirectory, folder);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(workerDirectory, file).Replace('\\', '/');
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    // Comments may name a namespace (a log category, an example); code may not.
                    var code = lines[i].Contains("//") ? lines[i][..lines[i].IndexOf("//", StringComparison.Ordinal)] : lines[i];
                    foreach (Match m in NamespaceDeclaration().Matches(code))
                        if (m.Groups["ns"].Value != folder && Stages.Contains(m.Groups["ns"].Value) || Stages.Contains(folder) && m.Groups["ns"].Value != folder)
                            offences.Add($"{relative}:{i + 1} declares namespace CollectionWorker.{m.Groups["ns"].Value} in folder {folder}/");
                    if (NamespaceDeclaration().IsMatch(code)) continue; // judged above
                    foreach (Match m in QualifiedName().Matches(code))
                    {
                        var ns = m.Groups["ns"].Value;
                        if (ns == folder || !Stages.Contains(ns)) continue;
                        if (Allowed.ContainsKey($"{relative} -> CollectionWorker.{ns}")) continue;
                        offences.Add($"{relative}:{i + 1} -> CollectionWorker.{ns} ({lines[i].Trim()})");
                    }
                }
            }
        }
        return offences;
    }

    [Fact]
    public void No_stage_references_another_stage_except_through_the_store()
    {
        var offences = Offences(WorkerDirectory());
        Assert.True(offences.Count == 0,
            "A stage references another stage's namespace; go through Store/ (a table, a row the owning stage picks up, or an interface in Store " +
            "implemented by the owning stage) instead:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void Every_stage_and_helper_folder_exists_so_the_scan_covers_it()
    {
        var worker = WorkerDirectory();
        foreach (var folder in Stages.Concat(SharedHelpers).Append("Host").Append("Store"))
            Assert.True(Directory.EnumerateFiles(Path.Combine(worker, folder), "*.cs", SearchOption.AllDirectories).Any(), $"Worker/{folder}/ has no source");
        // A new top-level folder must be put in one list or the other, so it is not silently unchecked.
        var known = Stages.Concat(SharedHelpers).Concat(["Host", "Store", "bin", "obj"]).ToHashSet(StringComparer.Ordinal);
        var unknown = Directory.GetDirectories(worker).Select(Path.GetFileName).Where(d => !known.Contains(d!) && !d!.StartsWith('.')).ToList();
        Assert.True(unknown.Count == 0, "Worker/ folders that are neither a stage nor a shared helper: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_scan_finds_a_using_a_qualified_name_and_a_borrowed_namespace()
    {
        using var temp = new TempDirectory();
        var worker = temp.Path;
        foreach (var folder in Stages.Concat(SharedHelpers)) Directory.CreateDirectory(Path.Combine(worker, folder));
        File.WriteAllText(Path.Combine(worker, "Review", "Fine.cs"), "using CollectionWorker.Store;\nnamespace CollectionWorker.Review;\n// CollectionWorker.Export's folder is named in a comment; CollectionWorker.Reviewer is not a stage\nclass F(CollectionWorker.Reviewer.X x) { }\n");
        File.WriteAllText(Path.Combine(worker, "Review", "Bad.cs"), "using CollectionWorker.Notifications;\nnamespace CollectionWorker.Review;\n");
        Directory.CreateDirectory(Path.Combine(worker, "Deadlines", "Jobs"));
        File.WriteAllText(Path.Combine(worker, "Deadlines", "Jobs", "Bad.cs"),
            "namespace CollectionWorker.Deadlines.Jobs;\nclass A(CollectionWorker.Export.AutoExport e) { }\n");
        File.WriteAllText(Path.Combine(worker, "Export", "Borrowed.cs"), "namespace CollectionWorker.Inspection;\nclass B { }\n");
        File.WriteAllText(Path.Combine(worker, "Sheets", "Helper.cs"), "namespace CollectionWorker.Sheets;\nusing static CollectionWorker.Roster.NationalId;\n");

        var offences = Offences(worker);
        Assert.Equal(4, offences.Count);
        Assert.Contains(offences, o => o.StartsWith("Review/Bad.cs:1 -> CollectionWorker.Notifications"));
        Assert.Contains(offences, o => o.StartsWith("Deadlines/Jobs/Bad.cs:2 -> CollectionWorker.Export"));
        Assert.Contains(offences, o => o.StartsWith("Export/Borrowed.cs:1 declares namespace CollectionWorker.Inspection"));
        Assert.Contains(offences, o => o.StartsWith("Sheets/Helper.cs:2 -> CollectionWorker.Roster"));
    }

    private static string WorkerDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CollectionWorker.sln")))
                return Path.Combine(dir.FullName, "Worker");
        throw new InvalidOperationException($"CollectionWorker.sln not found above {AppContext.BaseDirectory}");
    }
}
