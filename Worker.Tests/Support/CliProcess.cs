using System.Diagnostics;

namespace CollectionWorker.Tests.Support;

/// <summary>
/// The built CollectionWorker.dll run to its end as a child process, stdout and stderr captured apart (redirected,
/// as a script runs it), or inside a pseudo-terminal (util-linux `script`), as a person at a terminal sees it.
/// </summary>
public static class CliProcess
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll");

    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return await RunToEndAsync(info);
    }

    /// <summary>True when `script` (util-linux) is there to give the worker a pseudo-terminal.</summary>
    public static bool HasPseudoTerminal =>
        !OperatingSystem.IsWindows() && new[] { "/usr/bin/script", "/bin/script" }.Any(File.Exists);

    /// <summary>Everything the terminal received (stdout and stderr both), escape sequences and all, at the given width.</summary>
    public static async Task<string> RunInTerminalAsync(int columns, params string[] args)
    {
        var command = $"stty cols {columns} rows 50; exec dotnet {Quote(Dll)} {string.Join(' ', args.Select(Quote))}";
        var info = new ProcessStartInfo("script")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "-q", "-e", "-c", command, "/dev/null" }) info.ArgumentList.Add(a);
        var (exit, output, error) = await RunToEndAsync(info);
        if (exit != 0) throw new InvalidOperationException($"script exited {exit}: {error}\n{output}");
        return output;
    }

    private static async Task<(int Exit, string Out, string Err)> RunToEndAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not end within 3 minutes");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
