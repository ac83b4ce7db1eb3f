using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CollectionWorker.Tests.Support;

/// <summary>
/// Real headless Chromium (Debian's <c>chromium</c>, installed by .ci/run) for tests that must see a page
/// as a browser does. Every run goes through <see cref="NetworkTrap"/>: a proxy on 127.0.0.1 that
/// answers nothing and counts who knocked, so any load from the network shows.
/// </summary>
public static class Chromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>The browser's path; a clear failure (never a silent skip) when it is not installed.</summary>
    public static string Executable()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured)
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"CHROMIUM={configured}: no such file; point it at the chromium executable.");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        foreach (var name in Names)
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        throw new InvalidOperationException(
            "Headless Chromium is needed by the report tests and was not found on PATH (looked for chromium, chromium-browser, google-chrome). " +
            "Install Debian's package: apt-get install chromium (.ci/run installs it), or set CHROMIUM to the browser's path.");
    }

    /// <summary>Runs the browser on a local file with <paramref name="args"/>; returns stdout. Fails on a non-zero exit or a hang.</summary>
    public static async Task<string> RunAsync(string htmlFile, NetworkTrap trap, params string[] args)
    {
        using var profile = new TempDirectory();
        var info = new ProcessStartInfo(Executable()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions", "--mute-audio",
                     $"--user-data-dir={profile.Path}", $"--proxy-server=http://127.0.0.1:{trap.Port}", "--proxy-bypass-list=<-loopback>",
                 }.Concat(args))
            info.ArgumentList.Add(a);
        info.ArgumentList.Add(new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 60 s");
        }
        var (output, errors) = await ChildOutput.AfterExitAsync("chromium", stdout, stderr);
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {errors}");
        return output;
    }
}

/// <summary>A listening port on 127.0.0.1 used as the browser's proxy: it accepts, records and closes every connection.</summary>
public sealed class NetworkTrap : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];

    public NetworkTrap()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The first line of every request the browser tried to send out (e.g. "GET http://… HTTP/1.1", "CONNECT host:443").</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    /// <summary>
    /// The requests a page made: all of them except the browser's own housekeeping, which Chromium sends
    /// whatever page it shows and whatever flags it gets (network time, component updates, sign-in). Those
    /// go to these exact hosts only; a page's font, script or image from anywhere else is counted.
    /// </summary>
    public IReadOnlyList<string> PageRequests => Requests.Where(r => !BrowserServiceHosts.Any(h => Host(r) == h)).ToList();

    private static readonly string[] BrowserServiceHosts = ["clients2.google.com", "update.googleapis.com", "accounts.google.com"];

    private static string Host(string requestLine)
    {
        var parts = requestLine.Split(' ');
        if (parts.Length < 2) return "";
        var target = parts[1];
        if (parts[0] == "CONNECT") return target.Split(':')[0];
        return Uri.TryCreate(target, UriKind.Absolute, out var uri) ? uri.Host : "";
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            using (client)
            {
                var buffer = new byte[1024];
                var read = 0;
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    read = await client.GetStream().ReadAsync(buffer, timeout.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                }
                var text = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                lock (_requests) _requests.Add(text.Split('\n')[0].Trim() is { Length: > 0 } line ? line : "(connection without a request)");
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
