using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>backup DIR: an online copy of the store and the archive (and the settings file) into a new folder under DIR; prints its path.</summary>
public sealed class BackupVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var config = host.Services.GetRequiredService<ConfigLocation>().Directory is { } dir ? Path.Combine(dir, ConfigDirectory.FileName) : null;
        BackupResult result;
        try
        {
            result = await ActivatorUtilities.CreateInstance<StoreBackup>(host.Services).WriteAsync(commandLine.Arguments[0], config, ct);
        }
        catch (ArgumentException e)
        {
            throw new InputRejectedException(e.Message);
        }
        catch (StoreBackupException e)
        {
            throw new InputRejectedException(e.Message);
        }
        await stderr.WriteLineAsync(
            $"备份完成 Backup written: the store ({result.Students} students, {result.Submissions} uploads, checked), " +
            $"{result.PhotosCopied} photo(s) from archive/ ({result.PhotosVerified} referenced by the store, each re-hashed)" +
            (result.Config is null ? "." : ", and the settings file (secrets set by environment are not in it)."));
        await stdout.WriteLineAsync(result.Folder);
        return Cli.Ok;
    }
}
