using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CollectionWorker.Tests.Support;

/// <summary>
/// A real SMTP server on 127.0.0.1 in the test process (SmtpServer package). It keeps every message it
/// accepts; a message to an address containing "refuse" gets a permanent 550. It never offers
/// STARTTLS; with <c>offerAuth</c> it offers AUTH PLAIN/LOGIN over the unencrypted connection (as a
/// careless server does) and records every command and login it sees.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    private TestSmtpServer(int port, bool offerAuth)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).IsSecure(false).AllowUnsecureAuthentication(offerAuth))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Messages));
        if (offerAuth) services.Add(new RecordingAuthenticator(Logins));
        _server = new SmtpServer.SmtpServer(options, services);
        _server.SessionCreated += (_, e) => e.Context.CommandExecuting += (_, c) => Commands.Enqueue(c.Command.Name);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();
    /// <summary>Every SMTP command name received (EHLO, AUTH, MAIL, …), in order.</summary>
    public ConcurrentQueue<string> Commands { get; } = new();
    /// <summary>Every user name and password that reached the server.</summary>
    public ConcurrentQueue<(string User, string Password)> Logins { get; } = new();

    public static async Task<TestSmtpServer> StartAsync(int? port = null, bool offerAuth = false)
    {
        var server = new TestSmtpServer(port ?? FreePort(), offerAuth);
        await server.WaitUntilListeningAsync();
        return server;
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new TimeoutException($"test SMTP server did not listen on {Port}");
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try { await _running.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException) { }
        _stop.Dispose();
    }

    private sealed class RecordingAuthenticator(ConcurrentQueue<(string, string)> logins) : SmtpServer.Authentication.IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            logins.Enqueue((user, password));
            return Task.FromResult(true);
        }
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (transaction.To.Any(to => to.AsAddress().Contains("refuse", StringComparison.OrdinalIgnoreCase)))
                return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "mailbox unavailable");
            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
