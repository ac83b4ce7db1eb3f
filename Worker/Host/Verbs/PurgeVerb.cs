using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Host.Verbs;

/// <summary>
/// purge [--force]: deletes the photos and ID numbers of a closed, exported campaign (PIPL) and says
/// what it deleted. Refused while the service runs (it needs the data directory's lock), and before
/// the window closed, a deadline is pending or an approved photo is unexported, unless --force.
/// </summary>
public sealed class PurgeVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var paths = host.Services.GetRequiredService<DataPaths>();
        using var hold = DataDirectoryLock.Acquire(paths.Root);
        // On PostgreSQL the nodes hold no lock file: a shared lock in the database says who runs (Store/NodePresence).
        var database = host.Services.GetRequiredService<Database>();
        NodePresence? alone = null;
        try
        {
            if (database.IsShared) alone = await NodePresence.TakeAloneAsync(database, ct);
        }
        catch (StoreInUseException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            await stderr.WriteLineAsync("Nothing was deleted. 未删除任何内容。");
            return Cli.Rejected;
        }
        await using var held = alone;
        var campaign = host.Services.GetRequiredService<IOptions<CampaignOptions>>().Value;
        PurgeResult result;
        try
        {
            result = await ActivatorUtilities.CreateInstance<PersonalDataPurge>(host.Services)
                .PurgeAsync(campaign.UploadEnd, commandLine.Options.ContainsKey("--force"), ct);
        }
        catch (PurgeRefusedException e)
        {
            foreach (var reason in e.Reasons) await stderr.WriteLineAsync($"error: {reason}");
            await stderr.WriteLineAsync("Nothing was deleted. 未删除任何内容。 (--force purges anyway.)");
            return Cli.Rejected;
        }
        await stdout.WriteLineAsync($"已删除个人数据 Personal data purged from {paths.Root}:");
        await stdout.WriteLineAsync($"  {result.IdNumbers} ID number(s) replaced in the store, {result.FileNames} uploaded file name(s) removed");
        foreach (var (folder, files) in result.Deleted) await stdout.WriteLineAsync($"  {folder}/: {files} file(s) deleted");
        foreach (var dir in result.LeftAlone)
            await stdout.WriteLineAsync($"  not deleted: {dir} (an export outside the data directory): delete it yourself once 学信网 has accepted it");
        await stdout.WriteLineAsync("  kept: names, student numbers, classes and statuses (the campaign's counts and history)");
        return Cli.Ok;
    }
}
