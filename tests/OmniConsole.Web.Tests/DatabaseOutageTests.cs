using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OmniConsole.Core.Data;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>
/// The server database goes away under a running app (its connections cut, new ones refused) and comes back: the
/// channel API answers 503 with Retry-After meanwhile, stores nothing of the refused batch, and takes it once after; the
/// background jobs that met the outage meanwhile keep running (one that let it escape once stopped the whole app).
/// </summary>
public sealed class DatabaseOutageTests
{
    [PostgreSqlFact]
    public async Task WhileTheDatabaseIsUnreachableBatchesAre503AndNothingIsHalfWritten()
    {
        var database = TestDatabases.Create("omni-outage");
        var direct = new NpgsqlConnectionStringBuilder(database);
        await using var proxy = new TcpProxy(direct.Host!, direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(database) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3, CommandTimeout = 5 }.ConnectionString;
        using var app = OmniConsoleFactory.On(throughProxy);

        var before = await app.Api().PostAsJsonAsync("/api/v1/events", new { events = new[] { Ev.Purchase(new { phone = Ev.NewPhone() }, 1000m, app.Clock.GetUtcNow().AddHours(-1)) } });
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var phone = Ev.NewPhone();
        var batch = new { events = new[] { Ev.Purchase(new { phone }, 2500m, app.Clock.GetUtcNow().AddMinutes(-5)), Ev.View(new { phone }, app.Clock.GetUtcNow().AddMinutes(-4)) } };
        proxy.Cut();
        var refused = await app.Api().PostAsJsonAsync("/api/v1/events", batch);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        // Long enough for every background loop (each looks at least once a second) to meet the outage: the app must outlive it.
        await Task.Delay(TimeSpan.FromSeconds(3));
        proxy.Restore();
        var retried = await app.Api().PostAsJsonAsync("/api/v1/events", batch);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var again = await app.Api().PostAsJsonAsync("/api/v1/events", batch); // the till resends: event ids make it harmless
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        await using var db = new OmniConsoleDbContext(DbContextOptionsSetup.Standalone(DatabaseProvider.PostgreSql, database));
        var customer = await db.CustomerIdentifiers.Where(i => i.Value == phone).Select(i => i.CustomerId).SingleAsync();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerId == customer));
        Assert.Equal(2, await db.CustomerEvents.CountAsync(e => e.CustomerId == customer && e.Source == "till")); // the purchase and the view, once each
    }

    /// <summary>A loopback TCP relay to the database that can drop every connection and refuse new ones, then take them again.</summary>
    private sealed class TcpProxy : IAsyncDisposable
    {
        private readonly string _host;
        private readonly int _targetPort;
        private readonly List<TcpClient> _open = [];
        private TcpListener _listener;
        private CancellationTokenSource _stop = new();

        public TcpProxy(string host, int port)
        {
            (_host, _targetPort) = (host, port);
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync(_listener, _stop.Token);
        }

        public int Port { get; }

        /// <summary>Closes every relayed connection and stops listening: new connections are refused.</summary>
        public void Cut()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_open)
            {
                foreach (var client in _open) client.Dispose();
                _open.Clear();
            }
        }

        public void Restore()
        {
            _stop = new CancellationTokenSource();
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Start();
            _ = AcceptAsync(_listener, _stop.Token);
        }

        private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
        {
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(ct);
                    var server = new TcpClient();
                    await server.ConnectAsync(_host, _targetPort, ct);
                    lock (_open) { _open.Add(client); _open.Add(server); }
                    _ = PumpAsync(client, server, ct);
                    _ = PumpAsync(server, client, ct);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        }

        private static async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken ct)
        {
            try { await from.GetStream().CopyToAsync(to.GetStream(), ct); }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
            finally { from.Dispose(); to.Dispose(); }
        }

        public ValueTask DisposeAsync()
        {
            Cut();
            return ValueTask.CompletedTask;
        }
    }
}
