namespace OmniConsole.Web.Jobs;

/// <summary>Every second, open cards hear of their customers' new timeline rows, whichever instance wrote them (<see cref="Core.Channels.CustomerChangeCursor"/>).</summary>
internal sealed class LiveCardsJob(Core.Channels.CustomerChangeCursor cursor, ILogger<LiveCardsJob> log) : RepeatingJob(log)
{
    protected override TimeSpan Every => TimeSpan.FromSeconds(1);
    protected override Task RunOnceAsync(CancellationToken ct) => cursor.PollAsync(ct);
}
