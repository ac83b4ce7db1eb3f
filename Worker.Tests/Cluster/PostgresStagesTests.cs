using CollectionWorker.Inspection;
using CollectionWorker.Tests.Intake;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Cluster;

/// <summary>The running stages on a PostgreSQL store: intake hands over to the inspection, whose verdicts go through the ledger.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresStagesTests(PostgresServer server)
{
    [Fact]
    public async Task Uploads_are_inspected_and_moved_on_with_findings_and_the_rejection_notice()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00.100", RescanEvery = "00:00:01" }, inspection: true,
            postgres: await server.CreateDatabaseAsync());
        var students = Enumerable.Range(1, 2).Select(i => TestStudent.Make(i)).ToList();
        await h.ImportRosterAsync(students);
        await h.StartAsync();
        h.Drop($"{students[0].StudentNumber}.jpg", PortraitGenerator.Jpeg(new PortraitSpec()));
        h.Drop($"{students[1].StudentNumber}.jpg", PortraitGenerator.Jpeg(new PortraitSpec { Background = new Rgb(200, 40, 40) }));
        await h.WaitForSubmissionsAsync(2, TimeSpan.FromSeconds(60));
        await IntakeHarness.WaitUntilAsync(async () => await h.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE state = 'awaiting_inspection'") == 0,
            TimeSpan.FromSeconds(90), "both uploads inspected");

        var states = (await h.SubmissionsAsync()).OrderBy(s => s.student_number).Select(s => s.state).ToList();
        Assert.Equal("rejected", states[1]);
        Assert.NotEqual("rejected", states[0]);
        Assert.True(await h.ScalarAsync<long>("SELECT count(*) FROM findings WHERE severity = 'reject'") > 0);
        Assert.Equal(1L, await h.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE template = 'rejection-notice'"));
        // Each claim is given up just after its verdict is committed.
        await IntakeHarness.WaitUntilAsync(async () => await h.ScalarAsync<long>("SELECT count(*) FROM work_claims") == 0, what: "every claim given up");
    }
}
