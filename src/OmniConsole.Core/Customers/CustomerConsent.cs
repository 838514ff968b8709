using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Customers;

/// <summary>Whether the customer agreed to be contacted through a channel, and since when.</summary>
public class CustomerConsent
{
    public long CustomerId { get; set; }
    public Channel Channel { get; set; }
    public bool Granted { get; set; }
    public DateTime ChangedAtUtc { get; set; }
}
