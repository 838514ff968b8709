namespace OmniConsole.Core.Customers;

public enum IdentifierKind { Phone, Email, Card, External }

/// <summary>
/// A normalised identifier (phone in E.164, lower-case email, card without spaces, external id per source).
/// Unique across customers: one identifier always means one customer.
/// </summary>
public class CustomerIdentifier
{
    public long Id { get; set; }
    public long CustomerId { get; set; }
    public IdentifierKind Kind { get; set; }

    /// <summary>The system an external id belongs to (the API key's name); empty for phones, emails and cards.</summary>
    public string Source { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTime AddedAtUtc { get; set; }
}
