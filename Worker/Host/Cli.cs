using CollectionWorker.Host.Verbs;
using CollectionWorker.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host;

/// <summary>Parses the command line, loads and checks configuration, and runs one verb.</summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Rejected = 1;
    public const int WrongUsage = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? time = null,
        CancellationToken ct = default)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n\n{CommandLine.Usage}");
            return WrongUsage;
        }
        if (commandLine.Help)
        {
            await stdout.WriteLineAsync(CommandLine.Usage);
            return Ok;
        }

        IHost host;
        string? configDirectory;
        try
        {
            configDirectory = ConfigDirectory.Resolve(commandLine.ConfigDirectory);
            host = AppHost.Build(commandLine, configDirectory, time);
        }
        catch (ConfigurationRejectedException e)
        {
            foreach (var error in e.Errors) await stderr.WriteLineAsync($"configuration error: {error}");
            return Rejected;
        }
        catch (InvalidDataException e)
        {
            // A syntax error in appsettings.json: the inner JSON error carries line and position.
            var chain = new List<string>();
            for (Exception? x = e; x is not null; x = x.InnerException) chain.Add(x.Message);
            await stderr.WriteLineAsync($"configuration error: {string.Join(" ", chain)}");
            return Rejected;
        }

        using (host)
        {
            var errors = host.Services.GetRequiredService<ValidatedOptions>().Check(host.Services);
            if (errors.Count == 0) errors.AddRange(await AppHost.CheckTemplatesAsync(host.Services));
            if (commandLine.Verb == "check-config")
            {
                var warnings = errors.Count == 0 ? ConfigurationWarnings.Of(host.Services).ToList() : [];
                // On PostgreSQL the store is a server: check-config also says whether it answers and whether its schema fits.
                if (errors.Count == 0 && await new StoreConnectionCheck(host.Services.GetRequiredService<Database>(),
                        host.Services.GetRequiredService<Migrator>()).CheckAsync(ct) is var store)
                {
                    if (store.Error is { } storeError) errors.Add(storeError);
                    if (store.Warning is { } storeWarning) warnings.Add(storeWarning);
                }
                return await CheckConfigVerb.ReportAsync(errors, warnings, configDirectory, stdout, stderr);
            }
            if (errors.Count > 0)
            {
                foreach (var error in errors) await stderr.WriteLineAsync($"configuration error: {error}");
                await stderr.WriteLineAsync("The service refuses to start on bad configuration; fix the keys above (see README, 'Settings').");
                return Rejected;
            }

            var paths = host.Services.GetRequiredService<DataPaths>();
            var shared = host.Services.GetRequiredService<Database>().IsShared;
            if (DataDirectoryRule.Problem(commandLine.Verb, paths, storeIsFile: !shared) is { } dataProblem)
            {
                await stderr.WriteLineAsync($"error: {dataProblem}");
                return Rejected;
            }
            if (DataDirectoryRule.CreatingLine(commandLine.Verb, paths) is { } creating) await stderr.WriteLineAsync(creating);

            DataDirectoryLock? dataLock = null;
            NodePresence? presence = null;
            try
            {
                if (commandLine.Verb == "run" && !shared)
                {
                    // One service per data directory (SQLite): the lock is held until this process ends. On PostgreSQL
                    // several nodes share the data directory by design, and the database decides who takes which work.
                    Directory.CreateDirectory(paths.Root);
                    dataLock = DataDirectoryLock.Acquire(paths.Root);
                    if (dataLock.PreviousHolder is { } dead)
                        await stderr.WriteLineAsync($"接管了进程 {dead} 留下的锁文件（该进程已不在运行）。 Took over the lock file left by process {dead}, which is no longer running.");
                }
                // check-photo, check-config and verify-export record nothing: they work without a data directory or store.
                if (DataDirectoryRule.UsesStore(commandLine.Verb)) await AppHost.PrepareStoreAsync(host.Services, ct);
                if (commandLine.Verb == "run" && shared)
                    presence = await NodePresence.JoinAsync(host.Services.GetRequiredService<Database>(), ct); // what purge looks for
                IVerb verb = commandLine.Verb switch
                {
                    "run" => new RunVerb(),
                    "import-roster" => new ImportRosterVerb(),
                    "status" => new StatusVerb(),
                    "preview-mail" => new PreviewMailVerb(),
                    "export-approved" => new ExportApprovedVerb(),
                    "verify-export" => new VerifyExportVerb(),
                    "schedule" => new ScheduleVerb(),
                    "demo" => new DemoVerb(),
                    "check-photo" => new CheckPhotoVerb(),
                    "export-review" => new ExportReviewVerb(),
                    "import-review" => new ImportReviewVerb(),
                    "report" => new ReportVerb(),
                    "history" => new HistoryVerb(),
                    "backup" => new BackupVerb(),
                    "purge" => new PurgeVerb(),
                    "import-payments" => new ImportPaymentsVerb(),
                    _ => throw new UsageException($"unknown verb '{commandLine.Verb}'"),
                };
                return await verb.RunAsync(host, commandLine, stdout, stderr, ct);
            }
            catch (InputRejectedException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return Rejected;
            }
            catch (DataDirectoryLockedException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return Rejected;
            }
            catch (StoreUnusableException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return Rejected;
            }
            catch (SqliteException e) when (StoreOpening.IsDamage(e))
            {
                // Damage found by a verb after the start-up check (a page it had not read yet).
                await stderr.WriteLineAsync($"error: {StoreMessages.Damaged(paths.DatabaseFile, e.Message)}");
                return Rejected;
            }
            catch (Exception e) when (CollectionWorker.Intake.DiskSpace.IsFull(e))
            {
                // A full disk at start (the lock file, the scheduler's store) or in a verb: said plainly, not a crash.
                var free = CollectionWorker.Intake.DiskSpace.FreeText(paths.Root);
                await stderr.WriteLineAsync(
                    $"error: 数据目录 {paths.Root} 所在的磁盘已满（剩余 {free}）：请腾出磁盘空间后再运行。 " +
                    $"The disk holding the data directory {paths.Root} is full ({free} free): free some disk space and run it again.");
                return Rejected;
            }
            finally
            {
                dataLock?.Dispose();
                if (presence is not null) await presence.DisposeAsync();
            }
        }
    }
}

/// <summary>The input (a file, a store, an argument's value) was rejected; the message says what and where.</summary>
public sealed class InputRejectedException(string message) : Exception(message);
