using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OmniConsole.Benchmarks;

/// <summary>The web app's Release build run as its own process (Kestrel on loopback) over a given database.</summary>
internal sealed class WebApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter? _log;
    public string BaseUrl { get; }
    /// <summary>The app's process id (its peak RSS is VmHWM in /proc/{id}/status).</summary>
    public int ProcessId => _process.Id;

    private WebApp(Process process, string baseUrl, StreamWriter? log) => (_process, BaseUrl, _log) = (process, baseUrl, log);

    /// <param name="appLog">a file to copy the app's console output to (set Logging__LogLevel__… in the environment to choose what it logs)</param>
    /// <param name="environment">more settings for the app (e.g. the bench key's scopes, messaging providers); they win over the defaults here</param>
    public static async Task<WebApp> StartAsync(BenchDatabase db, string apiKey, string? appLog = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OmniConsole.sln"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, "src", "OmniConsole.Web", "bin", "Release", "net10.0", "OmniConsole.Web.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the web app first: dotnet build src/OmniConsole.Web -c Release", dll);

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();

        var start = new ProcessStartInfo("dotnet", dll) { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = url;
        foreach (var (name, value) in db.AppSettings("__")) start.Environment[name] = value;
        // Demo staff accounts (to time the 360° page signed in); demo data is not added to a database that has customers.
        start.Environment["OmniConsole__SeedDemoData"] = "true";
        start.Environment["OmniConsole__ApiKeys__0__Name"] = "bench";
        start.Environment["OmniConsole__ApiKeys__0__Key"] = apiKey;
        start.Environment.TryAdd("Logging__LogLevel__Default", "Warning");
        // The benchmark is one key sending as fast as it can: the per-key limit would measure itself.
        start.Environment["OmniConsole__RateLimits__ApiPerMinute"] = "100000000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start)!;
        var log = appLog is null ? null : new StreamWriter(appLog) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) lock (process) log?.WriteLine(line.Data); };
        process.BeginOutputReadLine();

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (process.HasExited) throw new InvalidOperationException($"The web app exited with {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync("/Account/Login")).IsSuccessStatusCode) return new WebApp(process, url, log);
            }
            catch (HttpRequestException)
            {
                // still starting
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("The web app did not start in 5 minutes.");
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        lock (_process) _log?.Dispose();
        return ValueTask.CompletedTask;
    }
}
