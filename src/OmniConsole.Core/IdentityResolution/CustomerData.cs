namespace OmniConsole.Core.IdentityResolution;

/// <summary>
/// The customer as a client names them in a request (an event, a quote, a promo code to issue): identifiers to find
/// them by, and profile fields an event may carry. Strings as sent; they are checked where they are used.
/// </summary>
public sealed class CustomerData
{
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? CardNumber { get; set; }
    public string? ExternalId { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? BirthDate { get; set; }
    public string? Gender { get; set; }
    public string? City { get; set; }

    /// <summary>
    /// The one identifier a read (a quote, a promo code) looks the customer up by: the first given of card, phone,
    /// e-mail, external id (an external id is the <paramref name="source"/>'s own); null when none is given.
    /// </summary>
    public CustomerLookup.Query? FirstIdentifier(string source) =>
        !string.IsNullOrWhiteSpace(CardNumber) ? new(Customers.IdentifierKind.Card, CardNumber)
        : !string.IsNullOrWhiteSpace(Phone) ? new(Customers.IdentifierKind.Phone, Phone)
        : !string.IsNullOrWhiteSpace(Email) ? new(Customers.IdentifierKind.Email, Email)
        : !string.IsNullOrWhiteSpace(ExternalId) ? new(Customers.IdentifierKind.External, ExternalId, source)
        : null;
}
