using Microsoft.Extensions.Logging.Abstractions;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Jobs;

namespace OmniConsole.Core.Tests.Jobs;

/// <summary>
/// Shared background work across instances on one database: each <see cref="JobLeases"/> here is one instance (its own
/// name and write gate), as two app processes would be.
/// </summary>
public sealed class SharedWorkTests : IDisposable
{
    private readonly TestDatabase _db = new();

    private JobLeases Instance() => new(_db.Factory, new WriteGate(), _db.Clock, NullLogger<JobLeases>.Instance);

    [Fact]
    public async Task APeriodicJobRunsOncePerPeriodWhicheverInstancesAsk()
    {
        var (a, b) = (Instance(), Instance());
        var runs = 0;
        async Task Work(CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(50, ct); // both ask while one runs
        }
        var period = TimeSpan.FromHours(1);

        var first = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).RunDueAsync("tiers", period, TimeSpan.FromMinutes(10), Work, default)));
        Assert.Equal(1, first.Count(ran => ran));
        Assert.Equal(1, runs);

        // Within the period nobody runs it again; after it, one instance does.
        _db.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(await b.RunDueAsync("tiers", period, TimeSpan.FromMinutes(10), Work, default));
        _db.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Task.WhenAll(b.RunDueAsync("tiers", period, TimeSpan.FromMinutes(10), Work, default), a.RunDueAsync("tiers", period, TimeSpan.FromMinutes(10), Work, default));
        Assert.Equal(1, second.Count(ran => ran));
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task AFailedRunIsTriedAgainAtOnceByAnotherInstance()
    {
        var (a, b) = (Instance(), Instance());
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            a.RunDueAsync("sizes", TimeSpan.FromHours(1), TimeSpan.FromMinutes(10), _ => throw new InvalidOperationException("the database went away"), default));
        var ran = false;
        Assert.True(await b.RunDueAsync("sizes", TimeSpan.FromHours(1), TimeSpan.FromMinutes(10), _ => { ran = true; return Task.CompletedTask; }, default));
        Assert.True(ran);
    }

    [Fact]
    public async Task AContinuousLoopRunsOnOneInstanceAndAnotherTakesOverWhenItsLeaseRunsOut()
    {
        var (a, b) = (Instance(), Instance());
        var lease = TimeSpan.FromMinutes(1);
        Assert.True(await a.HoldAsync("campaign-flow", lease, default));
        Assert.False(await b.HoldAsync("campaign-flow", lease, default));

        // a renews on every pass; b never gets it while a lives.
        _db.Clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(await a.HoldAsync("campaign-flow", lease, default));
        _db.Clock.Advance(TimeSpan.FromSeconds(50));
        Assert.False(await b.HoldAsync("campaign-flow", lease, default));

        // a dies (stops renewing): b takes over once a's lease has run out, and a, if it comes back, does not.
        _db.Clock.Advance(lease + TimeSpan.FromSeconds(1));
        Assert.True(await b.HoldAsync("campaign-flow", lease, default));
        Assert.False(await a.HoldAsync("campaign-flow", lease, default));

        // An instance that stops gives its lease up: the other takes it at once.
        await b.ReleaseAsync("campaign-flow", default);
        Assert.True(await a.HoldAsync("campaign-flow", lease, default));
    }

    [Fact]
    public async Task ACardOnOneInstanceHearsOfEventsAnotherInstanceIngested()
    {
        // This instance's notifier hears nothing of the other's ingestion, only what its cursor finds in the timeline.
        var here = new CustomerChangeNotifier();
        var cursor = new CustomerChangeCursor(_db.Factory, here);
        var heard = new List<long>();
        here.Changed += ids => { lock (heard) heard.AddRange(ids); };
        await _db.Ingestion().IngestAsync("till", [Events.View("before", new CustomerData { Phone = "+79161110001" }, _db.Clock.GetUtcNow())], default);
        Assert.Equal(0, await cursor.PollAsync(default)); // the first look notes where the timeline ends

        var results = await _db.Ingestion().IngestAsync("till", [Events.View("after", new CustomerData { Phone = "+79161110002" }, _db.Clock.GetUtcNow())], default);
        Assert.Equal(1, await cursor.PollAsync(default));
        Assert.Equal([long.Parse(results[0].CustomerId!, System.Globalization.CultureInfo.InvariantCulture)], heard);

        // Told once: the next look finds nothing new.
        Assert.Equal(0, await cursor.PollAsync(default));
        Assert.Single(heard);
    }

    public void Dispose() => _db.Dispose();
}
