using System.Globalization;
using OmniConsole.Core.Common;
using OmniConsole.Core.Staff;

namespace OmniConsole.Core.Audit;

/// <summary>
/// The texts written into audit details and merge reasons. They are stored in English (the record must not change with
/// the reader), and read back in the reader's language by matching the template they were made from.
/// </summary>
public static class AuditText
{
    public const string ApiKey = "API key '{0}' ({1}…)";
    public const string ApiKeyLimit = "API key '{0}' ({1}…): at most {2} calls a minute";
    public const string ApiKeyDefaultLimit = "API key '{0}' ({1}…): the default calls a minute";
    public const string Merged = "Customer #{0} ({1}) merged into #{2}: {3}";
    public const string MergeReason = "event {0} named identifiers of both";
    public const string BonusAdjusted = "Points adjusted by {0}: {1}";
    public const string StaffRole = "{0}: role {1} → {2}";
    public const string StaffCreated = "{0}: new account, role {1}";
    /// <summary>A staff member's search in the lookup box: what was typed and how many were found.</summary>
    public const string Lookup = "lookup: {0} ({1})";
    public const string StaffHomeStore = "{0}: home store {1}";
    public const string StaffLocked = "{0}: locked";
    public const string StaffUnlocked = "{0}: unlocked";
    public const string StaffPasswordReset = "{0}: password reset";
    public const string CampaignLaunched = "{0} ({1}): launched";
    public const string CampaignPaused = "{0} ({1}): paused";
    public const string CampaignResumed = "{0} ({1}): resumed";
    public const string CampaignStopped = "{0} ({1}): stopped";
    public const string ChannelPrice = "Price per {0} message: {1} (was {2})";
    public const string CampaignResultsExported = "Campaign results: {0} ({1})";
    public const string AuditLogExported = "Audit log: {0} entries";
    public const string FollowupClosed = "Follow-up #{0} closed: {1}";
    public const string LoyaltyReportExported = "Loyalty report";
    public const string FeedbackReportExported = "Feedback report: NPS and CSAT";
    public const string CustomerDataExported = "The customer's data";
    public const string SegmentExported = "Segment #{0} '{1}' version {2}: {3} rows, contacts {4} (export #{5})";
    public const string SegmentVersion = "Segment #{0} '{1}' version {2}: {3}";
    public const string SegmentArchived = "Segment #{0} '{1}' archived";
    public const string PromoCodesMade = "Promo campaign #{0} '{1}': {2} code(s)";
    public const string PromoCodesExported = "Promo campaign #{0} '{1}': {2} code(s) to Excel";
    public const string PromoCodeIssued = "Promo campaign #{0} '{1}': code {2}";
    public const string EarningRuleVersion = "Earning rule #{0} '{1}' version {2}: {3}";
    public const string TestSent = "Test {0} message to {1}: sent";
    public const string TestNotTaken = "Test {0} message to {1}: the provider did not take it ({2})";
    public const string TestSandbox = "Test {0} message to {1}: not sent (no provider, the sandbox)";
    public const string TestRefused = "Test {0} message to {1}: refused (tests go to staff addresses only)";
    /// <summary>A search of the customer list: its filters ("name=…, phone=…", each from the templates below) and the count found.</summary>
    public const string CustomersListed = "list: {0} ({1})";
    public const string ListName = "name={0}", ListPhone = "phone={0}", ListEmail = "email={0}", ListCard = "card={0}";
    /// <summary>Filled templates joined by commas: each part is read on its own (kept last: it fits any text with a comma).</summary>
    public const string Parts = "{0}, {1}";
    /// <summary>Words that fill a template's blank: an export's contacts.</summary>
    public const string InFull = "in full", Masked = "masked";
    /// <summary>What stands where an erased customer's personal data was (audit details, staff notes on their points).</summary>
    public const string Erased = "[erased]";

    /// <summary>In matching order: a template before a shorter one that would match the same text (the export before the version).</summary>
    public static IReadOnlyList<string> Templates { get; } =
    [
        Merged, ApiKeyLimit, ApiKeyDefaultLimit, ApiKey, MergeReason, BonusAdjusted, StaffRole, StaffCreated, StaffHomeStore, StaffLocked, StaffUnlocked, StaffPasswordReset,
        CampaignLaunched, CampaignPaused, CampaignResumed, CampaignStopped, ChannelPrice, CampaignResultsExported, AuditLogExported, FollowupClosed, LoyaltyReportExported, FeedbackReportExported, CustomerDataExported,
        SegmentExported, SegmentVersion, SegmentArchived, PromoCodesExported, PromoCodesMade, PromoCodeIssued, EarningRuleVersion, InFull, Masked, Erased,
        // Channel names fill a blank (the price's channel) and role names a staff change's; they read as the UI names them.
        "email", "sms", "viber", "telegram", "push", Roles.Consultant, Roles.Marketer, Roles.Manager, Roles.Administrator,
        TestNotTaken, TestSent, TestSandbox, TestRefused, Lookup, CustomersListed, ListName, ListPhone, ListEmail, ListCard, Parts,
    ];

    private static readonly StoredTemplates Known = new(Templates);

    public static string Format(string template, params object?[] args) => string.Format(CultureInfo.InvariantCulture, template, args);

    /// <summary>Stored text in the reader's language; text made from no known template (or older wording) comes back as it is.</summary>
    public static string Translate(string? stored, Func<string, string> translate, CultureInfo culture) => Known.Translate(stored, translate, culture);
}
