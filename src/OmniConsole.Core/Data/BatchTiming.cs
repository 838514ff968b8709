using System.Diagnostics;
using System.Globalization;

namespace OmniConsole.Core.Data;

/// <summary>Where a batch's time went, for the debug log (enable Debug for the writer's category to profile it: ingestion, the outbox dispatcher).</summary>
internal sealed class BatchTiming
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Phase, double Ms)> _laps = [];
    private double _last;

    public void Lap(string phase)
    {
        var now = _clock.Elapsed.TotalMilliseconds;
        _laps.Add((phase, now - _last));
        _last = now;
    }

    public override string ToString() =>
        string.Join(", ", _laps.Select(l => $"{l.Phase} {l.Ms.ToString("F1", CultureInfo.InvariantCulture)} ms")) +
        $"; total {_last.ToString("F1", CultureInfo.InvariantCulture)} ms";
}
