using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;

namespace CollectionWorker.Intake;

/// <summary>Intake counts for <c>status</c>.</summary>
/// <param name="ReceivedToday">submissions recorded with a received time on today's campaign-local date</param>
/// <param name="Unmatched">files now waiting in unmatched/ for the admin</param>
/// <param name="Refused">files now kept in refused/</param>
/// <param name="AwaitingInspection">current submissions waiting for inspection, held ones included</param>
/// <param name="Held">of those, early uploads held until the window opens</param>
public sealed record IntakeCounts(int ReceivedToday, int Unmatched, int Refused, int AwaitingInspection, int Held);

public sealed class IntakeReport(Database database, DataPaths paths, CampaignClock clock)
{
    public async Task<IntakeCounts> CountAsync(CancellationToken ct = default)
    {
        var today = clock.LocalDate(clock.UtcNow);
        var start = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), clock.Zone.GetUtcOffset(today.ToDateTime(TimeOnly.MinValue)));
        var end = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), clock.Zone.GetUtcOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue)));

        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<(long Today, long Waiting, long Held)>(
            """
            SELECT (SELECT count(*) FROM submissions WHERE received_at >= @from AND received_at < @to),
                   (SELECT count(*) FROM submissions WHERE state IN ('awaiting_inspection', 'held')),
                   (SELECT count(*) FROM submissions WHERE state = 'held')
            """, new { from = UtcTimestamp.ToText(start), to = UtcTimestamp.ToText(end) });
        return new IntakeCounts((int)row.Today, KeptFiles(paths.Unmatched), KeptFiles(paths.Refused), (int)row.Waiting, (int)row.Held);
    }

    /// <summary>The kept files in a folder (what the admin still has to look at), not their reason files.</summary>
    private static int KeptFiles(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Count(f => !f.EndsWith(SetAsideFolder.ReasonSuffix, StringComparison.Ordinal) && !f.EndsWith(".writing", StringComparison.Ordinal))
            : 0;
}
