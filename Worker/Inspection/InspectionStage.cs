using System.Data.Common;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Inspection;

/// <summary>
/// Inspects each submission intake recorded as awaiting inspection, once: reads the archived original,
/// runs the <see cref="PhotoInspector"/>, keeps the annotated evidence image, and in one transaction
/// stores the findings and moves the submission on — rejected with reasons (the resubmission clock
/// starts and the teacher is told) or awaiting the studio's review (the review SLA starts).
/// </summary>
public sealed class InspectionStage(
    Database database,
    DataPaths paths,
    PhotoInspector inspector,
    SubmissionLedger ledger,
    WorkClaims claims,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<InspectionOptions> options,
    ILogger<InspectionStage> logger) : CollectionWorker.Host.PollingService(time, logger)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryUnreadableAfter = TimeSpan.FromMinutes(1);
    // Submissions whose archived file could not be read, and when to try again (in memory: a restart retries at once).
    private readonly Dictionary<long, DateTimeOffset> _unreadable = [];
    public const string Actor = "inspection";

    protected override TimeSpan Period => PollEvery;
    protected override string RoundName => "Inspection pass";

    protected override bool Enabled
    {
        get
        {
            if (!options.Value.Enabled)
                logger.LogWarning("Inspection is switched off (Inspection:Enabled = false): uploads stay awaiting inspection");
            return options.Value.Enabled;
        }
    }

    protected override async Task PollAsync(CancellationToken ct)
    {
        while (await InspectPendingAsync(50, ct) > 0) { }
    }

    /// <summary>Inspects up to <paramref name="batch"/> waiting submissions; returns how many it moved on.</summary>
    public async Task<int> InspectPendingAsync(int batch, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var skip = _unreadable.Where(kv => kv.Value > now).Select(kv => kv.Key).ToList();
        // Nodes sharing a PostgreSQL store pass over what another node is inspecting right now.
        if (database.IsShared) skip.AddRange((await claims.HeldElsewhereAsync(WorkClaims.Inspection, ct)).Select(long.Parse));
        List<Pending> pending;
        await using (var c = await database.OpenAsync(ct))
            pending = (await c.QueryAsync<Pending>(
                """
                SELECT sub.id, sub.sha256, sub.original_name, st.teacher_email, st.teacher_name
                FROM submissions sub JOIN students st ON st.id = sub.student_id
                WHERE sub.state = 'awaiting_inspection' AND sub.id NOT IN @skip ORDER BY sub.id LIMIT @batch
                """, new { batch, skip })).ToList();
        var moved = 0;
        // On a shared store one node inspects a submission: it claims it first and gives the claim up once stored.
        var claimed = await ClaimAsync(pending, ct);
        var held = new HashSet<long>(claimed.Select(p => p.id));
        try
        {
            // One photo per core (Inspection:Parallelism); each is stored in turn, in the order of the query.
            await foreach (var (p, inspected) in OrderedParallel.SelectAsync(claimed, ReadAndInspectAsync, options.Value.PhotosAtOnce, ct))
            {
                if (await InspectOneAsync(p, inspected, ct)) moved++;
                if (database.IsShared && held.Remove(p.id)) await claims.ReleaseAsync(WorkClaims.Inspection, ClaimItem(p), CancellationToken.None);
            }
        }
        finally
        {
            // Whatever was claimed but not stored (cancelled, or a store error) is given up for the next pass or node.
            if (database.IsShared)
                foreach (var p in claimed.Where(p => held.Contains(p.id)))
                    await claims.ReleaseAsync(WorkClaims.Inspection, ClaimItem(p), CancellationToken.None);
        }
        return moved;
    }

    private static string ClaimItem(Pending p) => p.id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The submissions of the batch this node may inspect: all of them on SQLite, those it claimed on a shared store.</summary>
    private async Task<List<Pending>> ClaimAsync(List<Pending> pending, CancellationToken ct)
    {
        if (!database.IsShared) return pending;
        var claimed = new List<Pending>();
        foreach (var p in pending)
            if (await claims.TryClaimAsync(WorkClaims.Inspection, ClaimItem(p), ct)) claimed.Add(p);
        return claimed;
    }

    /// <summary>Reads the archived original and inspects it (on any thread); an unreadable archive comes back as its error.</summary>
    private async Task<(InspectionResult? Result, IOException? Error)> ReadAndInspectAsync(Pending p, CancellationToken ct)
    {
        try
        {
            return (inspector.Inspect(await File.ReadAllBytesAsync(paths.ArchiveFileFor(p.sha256), ct), p.original_name), null);
        }
        catch (IOException e)
        {
            return (null, e);
        }
    }

    private async Task<bool> InspectOneAsync(Pending p, (InspectionResult? Result, IOException? Error) inspected, CancellationToken ct)
    {
        if (inspected.Result is not { } result)
        {
            // The archive is the one copy that must never be missing: leave it waiting and shout.
            logger.LogError(inspected.Error, "Submission {SubmissionId}: archived original {File} cannot be read; left awaiting inspection, tried again in {Retry}",
                p.id, paths.ArchiveFileFor(p.sha256), RetryUnreadableAfter);
            _unreadable[p.id] = time.GetUtcNow() + RetryUnreadableAfter;
            return false;
        }
        _unreadable.Remove(p.id);

        string? evidence = null;
        if (result.AnnotatedPng is { } png)
        {
            evidence = Path.Combine("evidence", $"{p.id}.png");
            var file = Path.Combine(paths.Root, evidence);
            await File.WriteAllBytesAsync(file + ".tmp", png, ct);
            File.Move(file + ".tmp", file, overwrite: true);
        }

        var rejected = result.Verdict == Verdict.Reject;
        await using var c = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await c.BeginTransactionAsync(ct);
        // Inspected already (a second pass after a crash, or the student uploaded again meanwhile): nothing to do.
        var state = await c.ExecuteScalarAsync<string?>("SELECT state FROM submissions WHERE id = @id", new { p.id }, tx);
        if (state != SubmissionStates.ToText(SubmissionState.AwaitingInspection)) return false;

        var reasons = result.Reasons.ToList();
        foreach (var f in result.Findings)
            await c.ExecuteAsync(
                "INSERT INTO findings (submission_id, code, severity, value, limit_text, message_zh, message_en) VALUES (@id, @Code, @severity, @Value, @Limit, @MessageZh, @MessageEn)",
                new { p.id, f.Code, severity = f.Severity.ToWire(), f.Value, f.Limit, f.MessageZh, f.MessageEn }, tx);
        await ledger.ApplyAsync(c, tx, p.id, new SubmissionEvent.Inspected(Actor, result.Verdict.ToWire(), rejected,
            string.Join("；", reasons.Select(f => f.MessageZh)), string.Join("; ", reasons.Select(f => f.MessageEn)), evidence,
            new { verdict = result.Verdict.ToWire(), codes = result.Findings.Select(f => f.Code) },
            rejected
                ? [new OutboxMessage($"rejected:{p.id}:teacher", "rejection-notice", p.teacher_email, p.teacher_name, new { SubmissionId = p.id })]
                : null));
        await tx.CommitAsync(ct);
        // The one line per photo for the inspection: which upload, its short hash, the verdict and why.
        logger.LogInformation("Submission {SubmissionId} {File} sha {ShortHash} inspected: {Verdict} ({Codes})", p.id,
            CollectionWorker.Logging.LogText.Name(p.original_name), p.sha256[..12], result.Verdict.ToWire(),
            string.Join(", ", result.Findings.Where(f => f.Severity != Severity.Info).Select(f => f.Code)));
        return true;
    }

    private sealed class Pending
    {
        public long id { get; set; }
        public string sha256 { get; set; } = "";
        public string original_name { get; set; } = "";
        public string teacher_email { get; set; } = "";
        public string teacher_name { get; set; } = "";
    }
}
