using Microsoft.Extensions.Options;

namespace CollectionWorker.Store;

/// <summary>
/// The data directory's layout (README, "The data directory"). Every stage asks here for its folders so the
/// layout is written down once.
/// </summary>
public sealed class DataPaths
{
    public DataPaths(IOptions<StorageOptions> options, DataDirectoryBase baseDirectory)
    {
        var dir = options.Value.DataDirectory;
        Root = Path.GetFullPath(Path.IsPathRooted(dir) ? dir : Path.Combine(baseDirectory.Path, dir));
        DatabaseFile = Path.IsPathRooted(options.Value.Database)
            ? options.Value.Database
            : Path.Combine(Root, options.Value.Database);
    }

    public string Root { get; }
    public string DatabaseFile { get; }
    public string Inbox => Path.Combine(Root, "inbox");
    public string Archive => Path.Combine(Root, "archive");
    public string Unmatched => Path.Combine(Root, "unmatched");
    public string Refused => Path.Combine(Root, "refused");
    public string Evidence => Path.Combine(Root, "evidence");
    public string RosterInbox => Path.Combine(Root, "roster-inbox");
    public string RosterProcessed => Path.Combine(RosterInbox, "processed");
    public string RosterFailed => Path.Combine(RosterInbox, "failed");
    public string ReviewOutbox => Path.Combine(Root, "review", "outbox");
    public string ReviewInbox => Path.Combine(Root, "review", "inbox");
    public string ReviewProcessed => Path.Combine(Root, "review", "processed");
    public string Mail => Path.Combine(Root, "mail");
    public string CorrectionsInbox => Path.Combine(Root, "corrections-inbox");
    public string CorrectionsProcessed => Path.Combine(CorrectionsInbox, "processed");
    public string CorrectionsFailed => Path.Combine(CorrectionsInbox, "failed");
    /// <summary>The admin's one consolidated list of teachers' corrections, kept up to date by the corrections stage.</summary>
    public string CorrectionsWorkbook => Path.Combine(Root, "corrections", "信息更正汇总-corrections.xlsx");
    public string Export => Path.Combine(Root, "export");
    public string PaymentsInbox => Path.Combine(Root, "payments-inbox");
    public string PaymentsProcessed => Path.Combine(PaymentsInbox, "processed");
    public string PaymentsFailed => Path.Combine(PaymentsInbox, "failed");

    /// <summary>Where the original bytes with this SHA-256 are kept: archive/ab/&lt;sha256&gt;.jpg.</summary>
    public string ArchiveFileFor(string sha256) => Path.Combine(Archive, sha256[..2], sha256 + ".jpg");

    /// <summary>Creates every folder of the layout (idempotent).</summary>
    public void EnsureCreated()
    {
        foreach (var d in new[] { Root, Inbox, Archive, Unmatched, Refused, Evidence, RosterInbox, RosterProcessed,
                     RosterFailed, ReviewOutbox, ReviewInbox, ReviewProcessed, Mail, Export,
                     PaymentsInbox, PaymentsProcessed, PaymentsFailed,
                     CorrectionsInbox, CorrectionsProcessed, CorrectionsFailed, Path.GetDirectoryName(CorrectionsWorkbook)! })
            Directory.CreateDirectory(d);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabaseFile)!);
    }
}

/// <summary>
/// The folder a relative data directory is resolved against: the working directory, except for a
/// Windows service, whose working directory is System32 (there it is the executable's folder).
/// </summary>
public sealed record DataDirectoryBase(string Path);
