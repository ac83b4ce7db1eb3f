using Xunit;
using System.Security.Cryptography;
using System.Text.Json;
using CollectionWorker.Host;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Tests.Intake;

/// <summary>One submission row as the tests read it back.</summary>
public sealed record SubmissionRow(long id, long student_id, string student_number, long attempt, string sha256, string original_name,
    long size_bytes, string received_at, string window_stamp, string state, string? resubmit_deadline);

/// <summary>
/// A real data directory with a real roster imported through the CLI, and the running intake stage
/// (the host the <c>run</c> verb builds, with an optional fake clock).
/// </summary>
public sealed class IntakeHarness : IAsyncDisposable
{
    private readonly TestHost _cli;
    private IHost? _host;

    public IntakeHarness(object? intake = null, DateTimeOffset? uploadStart = null, DateTimeOffset? uploadEnd = null, string logLevel = "Warning",
        bool inspection = false, string? postgres = null, string? claimTimeout = null)
    {
        var now = DateTimeOffset.UtcNow;
        var settings = new Dictionary<string, object>
        {
            ["Logging"] = new { LogLevel = new { Default = logLevel } },
            ["Campaign"] = new
            {
                UploadStart = (uploadStart ?? now.AddDays(-1)).ToString("O"),
                UploadEnd = (uploadEnd ?? now.AddDays(1)).ToString("O"),
            },
            ["Intake"] = intake ?? new { StableFor = "00:00:00.200", RescanEvery = "00:00:05" },
            // Intake is tested on its own: its files are not photos, and the rows it leaves are what is checked.
            ["Inspection"] = new { Enabled = inspection },
        };
        // The same stage on a PostgreSQL store (a database of the tests' throw-away server).
        if (postgres is not null) settings["Storage"] = new { Provider = "PostgreSql", ConnectionString = postgres };
        // A kill test on PostgreSQL: a killed node's claim on its file expires after this (2 min by default).
        else if (claimTimeout is not null) settings["Storage"] = new { ClaimTimeout = claimTimeout };
        _cli = new TestHost(JsonSerializer.Serialize(settings));
    }

    public string ConfigDirectory => _cli.ConfigDirectory;
    public string DataDirectory => _cli.DataDirectory;
    public string Inbox => Path.Combine(DataDirectory, "inbox");
    public string Unmatched => Path.Combine(DataDirectory, "unmatched");
    public string Refused => Path.Combine(DataDirectory, "refused");
    public string Archive => Path.Combine(DataDirectory, "archive");
    // The CLI host's store (SQLite's file, or the PostgreSQL database its settings name): one pool for the harness's life.
    public Database Database => _cli.Store;
    public TestHost Cli => _cli;
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("start the stage first");

    public async Task ImportRosterAsync(IEnumerable<TestStudent> students)
    {
        var file = RosterBuilder.Write(_cli.File($"roster-{Guid.NewGuid():N}.xlsx"), students);
        var (exit, _, err) = await _cli.RunAsync("import-roster", file);
        Assert.True(exit == 0, err);
    }

    /// <summary>Starts the service as <c>run</c> would, on this data directory.</summary>
    public async Task StartAsync(TimeProvider? time = null)
    {
        var commandLine = CommandLine.Parse(["run", "--config", ConfigDirectory, "--data", DataDirectory]);
        _host = AppHost.Build(commandLine, ConfigDirectory, time);
        Assert.Empty(_host.Services.GetRequiredService<ValidatedOptions>().Check(_host.Services));
        await AppHost.PrepareStoreAsync(_host.Services);
        await _host.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_host is null) return;
        await _host.StopAsync();
        _host.Dispose();
        _host = null;
    }

    /// <summary>
    /// Puts a file into the drop folder whole, as upload channels do (written beside it, then renamed
    /// in), so the fake-clock tests never see a half-written file. Sub-folders are created as needed.
    /// </summary>
    public string Drop(string relativeName, byte[] bytes)
    {
        var path = Path.Combine(Inbox, relativeName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = Path.Combine(DataDirectory, "staging");
        Directory.CreateDirectory(staging);
        var temp = Path.Combine(staging, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path);
        return path;
    }

    public async Task<List<SubmissionRow>> SubmissionsAsync()
    {
        await using var c = await Database.OpenAsync();
        return (await c.QueryAsync<SubmissionRow>(
            """
            SELECT sub.id, sub.student_id, s.student_number, sub.attempt, sub.sha256, sub.original_name, sub.size_bytes, sub.received_at,
                   sub.window_stamp, sub.state, sub.resubmit_deadline
            FROM submissions sub JOIN students s ON s.id = sub.student_id ORDER BY sub.id
            """)).ToList();
    }

    public async Task ExecuteAsync(string sql, object? args = null)
    {
        await using var c = await Database.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = await Database.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    /// <summary>The kept file and its reason text, once both are there.</summary>
    public async Task<string> WaitForReasonAsync(string folder, string relativeName, TimeSpan? timeout = null)
    {
        var kept = Path.Combine(folder, relativeName);
        await WaitUntilAsync(() => File.Exists(kept) && File.Exists(kept + ".reason.txt"), timeout);
        return await File.ReadAllTextAsync(kept + ".reason.txt");
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what ?? "the condition"}");
            await Task.Delay(50);
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what ?? "the condition"}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The intake removes a file from the inbox just after its row is committed, so a test that drops the same
    /// name again, or checks the file is gone, waits for that too.
    /// </summary>
    public static Task WaitGoneAsync(string path, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => !File.Exists(path), timeout, $"{Path.GetFileName(path)} taken out of the inbox");

    public async Task WaitForSubmissionsAsync(int count, TimeSpan? timeout = null) =>
        await WaitUntilAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM submissions") >= count, timeout, $"{count} submission(s)");

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public string ArchivePath(string sha256) => Path.Combine(Archive, sha256[..2], sha256 + ".jpg");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _cli.Dispose();
    }
}

/// <summary>Small distinct JPEG-like byte blobs (intake does not look inside; inspection does).</summary>
public static class FakeJpeg
{
    public static byte[] Make(int seed, int size = 1500)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; bytes[3] = 0xE0;
        bytes[^2] = 0xFF; bytes[^1] = 0xD9;
        return bytes;
    }
}
