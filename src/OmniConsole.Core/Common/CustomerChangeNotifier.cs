using System.Collections.Concurrent;

namespace OmniConsole.Core.Common;

/// <summary>
/// Tells open customer cards that their customer changed (new events, balance), once the change is committed. What
/// this instance changed is told at once; what other instances wrote reaches it through <see cref="CustomerChangeCursor"/>.
/// </summary>
public sealed class CustomerChangeNotifier
{
    /// <summary>How long a change told here is not told again when the cursor finds its timeline rows.</summary>
    private const long ToldRecentlyMs = 5_000;
    private readonly ConcurrentDictionary<long, long> _toldAt = new();

    /// <summary>Raised with the ids of customers that changed; a merged-away id is raised too, so its open card can follow.</summary>
    public event Action<IReadOnlyCollection<long>>? Changed;

    public void Publish(IReadOnlyCollection<long> customerIds)
    {
        if (customerIds.Count == 0) return;
        var now = Environment.TickCount64;
        foreach (var id in customerIds) _toldAt[id] = now;
        Changed?.Invoke(customerIds);
    }

    /// <summary>Customers whose new timeline rows the cursor found: told unless this instance told it already.</summary>
    public void PublishFound(IReadOnlyCollection<long> customerIds)
    {
        var now = Environment.TickCount64;
        foreach (var (id, at) in _toldAt)
            if (now - at > ToldRecentlyMs) _toldAt.TryRemove(id, out _);
        var fresh = customerIds.Where(id => !_toldAt.ContainsKey(id)).ToList();
        if (fresh.Count > 0) Changed?.Invoke(fresh);
    }
}
