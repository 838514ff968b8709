namespace OmniConsole.Core.Audit;

public enum AuditAction
{
    CustomerViewed, CustomersMerged, ApiKeyCreated, ApiKeyRevoked, Exported, SegmentCreated, SegmentChanged, SegmentArchived,
    EarningRuleCreated, EarningRuleChanged, TiersChanged, PromoCampaignCreated, PromoCodeIssued, BonusAdjusted,
    SignedIn, SignInFailed, SignInLockedOut, StaffCreated, StaffChanged, CustomerReadByApi, CustomersSearched, CustomerErased, CampaignCreated, CampaignChanged, CampaignStatusChanged,
    MessagePriceChanged, CampaignTestSent, ApiKeyChanged, FollowupClosed
}

/// <summary>Who did what to which customer, when. Every card view and every export leaves one.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    /// <summary>The staff user's e-mail, or <c>api:{key name}</c>.</summary>
    public string Actor { get; set; } = "";
    public AuditAction Action { get; set; }
    public long? CustomerId { get; set; }
    public string? Details { get; set; }
}

/// <summary>How the audit log names who acted: staff by their name (e-mail), an API key as <c>api:</c> and its name.</summary>
public static class AuditActors
{
    public const string ApiKeyPrefix = "api:";

    public static string ApiKey(string keyName) => ApiKeyPrefix + keyName;
}
