using OmniConsole.Core.Data;

namespace OmniConsole.Web.Jobs;

/// <summary>Every second, the database family's housekeeping, if it has any (SQLite: moves the write-ahead log into the database file and keeps it short).</summary>
internal sealed class DatabaseMaintenanceJob(IEnumerable<IDatabaseMaintenance> maintenance, ILogger<DatabaseMaintenanceJob> log) : RepeatingJob(log)
{
    private readonly IReadOnlyList<IDatabaseMaintenance> _passes = [.. maintenance];

    protected override TimeSpan Every => TimeSpan.FromSeconds(1);

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        foreach (var pass in _passes)
            if (await pass.RunAsync(ct) is { } done) Log.LogDebug("{Done}", done);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _passes.Count == 0 ? Task.CompletedTask : base.ExecuteAsync(stoppingToken);
}
