namespace CollectionWorker.Host;

/// <summary>
/// The parsed command line: <c>CollectionWorker [VERB] [ARGS] [--config DIR] [--data DIR]</c>.
/// No verb means <c>run</c>. The verbs are listed in the README; this surface is a contract.
/// </summary>
public sealed class CommandLine
{
    public static readonly string[] Verbs = ["run", "import-roster", "status", "check-config", "preview-mail", "export-approved", "verify-export", "schedule", "check-photo", "demo", "export-review", "import-review", "report", "history", "backup", "purge", "import-payments"];

    /// <summary>Options that take a value; every other option is a flag.</summary>
    private static readonly string[] ValueOptions = ["--config", "--data", "--class", "--teacher", "--cohort", "--out", "--annotate", "--student"];
    private static readonly string[] FlagOptions = ["--json", "--help", "--force"];

    public string Verb { get; private init; } = "run";
    public List<string> Arguments { get; } = [];
    public Dictionary<string, string> Options { get; } = new(StringComparer.Ordinal);

    public string? ConfigDirectory => Options.GetValueOrDefault("--config");
    public string? DataDirectory => Options.GetValueOrDefault("--data");
    public bool Json => Options.ContainsKey("--json");
    public bool Help => Options.ContainsKey("--help");
    public string? Get(string option) => Options.GetValueOrDefault(option);

    /// <exception cref="UsageException">the words do not form a command</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var verb = "run";
        var start = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            verb = args[0];
            if (!Verbs.Contains(verb)) throw new UsageException($"unknown verb '{verb}'");
            start = 1;
        }
        var cl = new CommandLine { Verb = verb };
        for (var i = start; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-h") a = "--help";
            if (!a.StartsWith("--"))
            {
                cl.Arguments.Add(a);
                continue;
            }
            var eq = a.IndexOf('=');
            var name = eq > 0 ? a[..eq] : a;
            if (ValueOptions.Contains(name))
            {
                string value;
                if (eq > 0) value = a[(eq + 1)..];
                else if (i + 1 < args.Count) value = args[++i];
                else throw new UsageException($"option {name} needs a value");
                if (value.Length == 0) throw new UsageException($"option {name} needs a value");
                cl.Options[name] = value;
            }
            else if (FlagOptions.Contains(name) && eq < 0) cl.Options[name] = "true";
            else throw new UsageException($"unknown option '{a}'");
        }
        cl.CheckArity();
        return cl;
    }

    private void CheckArity()
    {
        if (Help) return;
        var (min, max) = Verb switch
        {
            "import-roster" => (1, 1),
            "preview-mail" => (1, 1),
            "verify-export" => (1, 1),
            "check-photo" => (1, int.MaxValue),
            "import-review" => (1, 1),
            "history" => (1, 1),
            "backup" => (1, 1),
            "import-payments" => (1, 1),
            _ => (0, 0),
        };
        if (Arguments.Count < min) throw new UsageException($"'{Verb}' needs {min} argument(s)");
        if (Arguments.Count > max) throw new UsageException($"'{Verb}' takes no argument '{Arguments[max]}'");
        if (Options.ContainsKey("--class") && Verb != "status") throw new UsageException("--class goes with 'status'");
        if (Options.ContainsKey("--cohort") && Verb != "export-approved") throw new UsageException("--cohort goes with 'export-approved'");
        if (Options.ContainsKey("--out") && Verb is not ("export-approved" or "report")) throw new UsageException("--out goes with 'export-approved' or 'report'");
        if (Options.ContainsKey("--teacher") && Verb != "preview-mail") throw new UsageException("--teacher goes with 'preview-mail'");
        if (Options.ContainsKey("--student") && Verb != "preview-mail") throw new UsageException("--student goes with 'preview-mail'");
        if (Options.ContainsKey("--student") && Options.ContainsKey("--teacher")) throw new UsageException("preview-mail takes --teacher or --student, not both");
        if (Options.ContainsKey("--annotate") && Verb != "check-photo") throw new UsageException("--annotate goes with 'check-photo'");
        if (Options.ContainsKey("--force") && Verb != "purge") throw new UsageException("--force goes with 'purge'");
    }

    public const string Usage =
        """
        Usage: CollectionWorker [VERB] [ARGS] [--config DIR] [--data DIR]

        Verbs:
          run                          the service: watches folders, imports rosters, inspects, schedules, sends (default)
          import-roster FILE.xlsx      imports or updates the roster, all or nothing
          status [--class NAME] [--json]
                                       progress per class (paid / unpaid once payments are imported)
          check-config                 validates the configuration and the e-mail templates; exit 0 when they are good
          preview-mail TEMPLATE [--teacher NAME | --student NUMBER]
                                       renders one e-mail (with its attachments) to a file and prints the path;
                                       --student: a student-* e-mail for that student's latest upload
          export-approved [--cohort NAME] [--out DIR]
                                       approved photos + manifest for the national record, a folder and a zip per cohort
          verify-export DIR            re-hashes an export against its manifest; exit 1 on a missing, extra or altered file
          schedule [--json]            next milestones and the nearest 20 deadlines (Asia/Shanghai)
          demo                         creates a demo campaign (roster, good and bad photos, settings around now) in a fresh data directory
          check-photo FILE... [--json] [--annotate OUT]
                                       inspects photos without recording anything; --annotate writes the
                                       evidence PNG to OUT (one file), or OUT/<name>.annotated.png (a folder,
                                       always so for several files); exit 0 when every file was inspected
          export-review                writes a review sheet for the studio into review/outbox/ and prints its path
          import-review FILE.xlsx      applies a filled review sheet row by row; prints the receipt (review/processed/);
                                       exit 1 when a row needs attention
          import-payments FILE         imports the payment platform's export (.xlsx or .csv: UTF-8 or GB18030), all or
                                       nothing, idempotent by transaction id; on problems an error workbook beside FILE, exit 1
          report [--out DIR]           writes the HTML progress report (charts; one file, opens offline) to report/ or DIR; prints its path
          history STUDENT [--json]     one student's timeline (student number or ID number), in campaign time
          backup DIR                   online copy of the store (SQLite backup API), the archive's photos and the settings
                                       file into a new folder under DIR; every photo re-hashed; prints the folder
          purge [--force]              deletes the photos and ID numbers of a closed, exported campaign (PIPL) and says
                                       what it deleted; refused while the service runs, before the window closed or the
                                       export is complete unless --force

        Options:
          --config DIR   folder holding appsettings.json (default: config/ beside the solution or the executable)
          --data DIR     the data directory (default: Storage:DataDirectory, ./data)

        Exit codes: 0 success, 1 input or configuration rejected, 2 wrong usage.
        """;
}

public sealed class UsageException(string message) : Exception(message);
