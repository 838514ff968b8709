using OmniConsole.Core.Catalog;

namespace OmniConsole.Core.Customers;

public enum Gender { Female, Male }

/// <summary>One person, however many channels and identifiers they use.</summary>
public class Customer
{
    public long Id { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public DateOnly? BirthDate { get; set; }
    public Gender? Gender { get; set; }
    public string? City { get; set; }
    public DateTime RegisteredAtUtc { get; set; }

    /// <summary>"lastname firstname" in lower case: the indexed key for name search. Kept by <see cref="SetName"/>.</summary>
    public string SearchName { get; set; } = "";

    /// <summary>The first name in lower case: the indexed key for "Мария" alone. Kept by <see cref="SetName"/>.</summary>
    public string? SearchFirstName { get; set; }
    public int? HomeStoreId { get; set; }
    public Store? HomeStore { get; set; }

    /// <summary>Loyalty tier; every customer is on the base tier until tiers are configured.</summary>
    public string Tier { get; set; } = LoyaltyTiers.Base;

    // Purchase figures kept on the row so lists, lookups and segments sort and filter
    // a million customers by them without aggregating orders. Maintained by ingestion.
    public DateTime? LastPurchaseAtUtc { get; set; }
    public long LifetimeValueMinor { get; set; }
    public int PurchaseCount { get; set; }
    /// <summary>The latest <c>cart_updated</c> with lines, while no purchase or order came after it (abandoned-cart segments).</summary>
    public DateTime? OpenCartAtUtc { get; set; }

    /// <summary>Set when this customer was merged into another; the row stays so old links resolve.</summary>
    public long? MergedIntoId { get; set; }

    /// <summary>Set when the customer's personal data was erased on request; the history stays for totals.</summary>
    public DateTime? ErasedAtUtc { get; set; }

    /// <summary>Bumped by every balance change: the optimistic concurrency token that keeps redemptions from overdrawing.</summary>
    public long LoyaltyVersion { get; set; }

    public List<CustomerIdentifier> Identifiers { get; set; } = [];
    public List<CustomerConsent> Consents { get; set; } = [];

    public void SetName(string? firstName, string? lastName)
    {
        FirstName = firstName;
        LastName = lastName;
        SearchName = NameKey(lastName, firstName);
        SearchFirstName = NameKey(firstName) is { Length: > 0 } first ? first : null;
    }

    /// <summary>
    /// "Not merged into another", written so that SQLite cannot take the MergedIntoId index for it. Beside a condition
    /// that has an index of its own (a name range, a city, a registration week), SQLite without statistics otherwise
    /// prefers that index and walks every live customer.
    /// </summary>
    public static readonly System.Linq.Expressions.Expression<Func<Customer, bool>> LiveBesideAnIndexedCondition = c => (c.MergedIntoId ?? 0) == 0;

    public static string NameKey(params string?[] parts) =>
        string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim().ToLowerInvariant()));

    /// <summary>
    /// What a typed name may be the start of, as staff type names: "петрова" or "петрова мария" begin the "last first"
    /// key, "мария петрова" begins it reversed, and "мария" alone may also begin a first name.
    /// </summary>
    public static (IReadOnlyList<string> SearchNamePrefixes, string? FirstNamePrefix) NamePrefixes(string typed)
    {
        var key = NameKey(typed);
        var words = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length switch
        {
            1 => ([key], key),
            2 => ([key, $"{words[1]} {words[0]}"], null),
            _ => ([key], null),
        };
    }

    public string DisplayName =>
        string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } name
            ? name : $"#{Id}";
}

public static class LoyaltyTiers
{
    public const string Base = "base";
}
