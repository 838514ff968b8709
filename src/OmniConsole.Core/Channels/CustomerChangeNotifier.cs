namespace OmniConsole.Core.Channels;

/// <summary>
/// Tells open customer cards that their customer changed (new events, balance), once the change is committed.
/// In-process: every circuit of this app instance hears it.
/// </summary>
public sealed class CustomerChangeNotifier
{
    /// <summary>Raised with the ids of customers that changed; a merged-away id is raised too, so its open card can follow.</summary>
    public event Action<IReadOnlyCollection<long>>? Changed;

    public void Publish(IReadOnlyCollection<long> customerIds)
    {
        if (customerIds.Count > 0) Changed?.Invoke(customerIds);
    }
}
