using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OmniConsole.E2E;

/// <summary>
/// The published web app as a process of its own (as README's run command starts it), on a free port and the given
/// database file, with its output kept for when a test fails. It can be killed outright, as a crash would.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    public string BaseUrl { get; }
    public int ProcessId => _process.Id;
    public string Log { get { lock (_log) return _log.ToString(); } }

    private AppProcess(Process process, string baseUrl)
    {
        (_process, BaseUrl) = (process, baseUrl);
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <param name="databasePath">the SQLite file; null when <paramref name="settings"/> name the database</param>
    public static async Task<AppProcess> StartAsync(string? databasePath, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var baseUrl = $"http://127.0.0.1:{port ?? FreePort()}";
        var webDir = Path.Combine(AppServer.RepoRoot(), "src", "OmniConsole.Web", "bin", Configuration(), "net10.0");
        var start = new ProcessStartInfo("dotnet", Path.Combine(webDir, "OmniConsole.Web.dll"))
        {
            WorkingDirectory = webDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        if (databasePath is not null) start.Environment["ConnectionStrings__OmniConsole"] = $"Data Source={databasePath}";
        // Every test signs in from this one address, dozens of times a minute; the sign-in limit has tests of its own.
        start.Environment["OmniConsole__RateLimits__SignInPerMinute"] = "10000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__")] = value;
        var app = new AppProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the app."), baseUrl);
        await app.WaitUntilServingAsync();
        return app;
    }

    /// <summary>Ends the process at once (SIGKILL): no shutdown, no flush, as a crash or a pulled plug.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(240))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return; // every role answers it
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app did not answer within 240 s:\n{Log}");
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Configuration() => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
}
