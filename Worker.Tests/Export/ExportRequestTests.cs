using CollectionWorker.Store;
using CollectionWorker.Tests.Deadlines;

namespace CollectionWorker.Tests.Export;

/// <summary>The export stage's side of export_requests: the service runs what the deadlines stage asked for.</summary>
public class ExportRequestTests
{
    [Fact]
    public async Task A_request_left_when_the_service_stopped_is_run_at_the_next_start_and_closed()
    {
        await using var world = await DeadlineWorld.CreateAsync(DateTimeOffset.Parse("2022-05-20T10:00:00+08:00"));
        var manifest = Path.Combine(world.Host.DataDirectory, "export", "manifest.xlsx");
        await using (var c = await world.Database.OpenAsync())
        {
            await using var tx = c.BeginTransaction();
            await ExportRequests.AddAsync(c, tx, "last resubmission deadline passed", "deadlines", world.Time.GetUtcNow());
            await tx.CommitAsync();
        }
        Assert.False(File.Exists(manifest));

        await world.StartAsync();
        await DeadlineWorld.EventuallyAsync(async () =>
            await world.CountAsync("SELECT count(*) FROM export_requests WHERE done_at IS NOT NULL AND outcome LIKE '%added%'") >= 1, "the request run and closed");
        Assert.True(File.Exists(manifest), "the export written");
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM export_requests WHERE done_at IS NULL"));
    }
}
