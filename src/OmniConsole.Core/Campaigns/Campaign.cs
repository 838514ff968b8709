using System.Text.Json.Serialization;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Campaigns;

/// <summary>JSON names are the contract's ("draft", "running", …).</summary>
public enum CampaignStatus
{
    [JsonStringEnumMemberName("draft")] Draft,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("stopped")] Stopped,
    [JsonStringEnumMemberName("completed")] Completed,
}

/// <summary>
/// A campaign: an audience (a segment, less excluded ones) taken through a flow of send and wait steps, at launch or
/// per customer on a trigger. Its id is what providers send as <c>message.campaignId</c>; campaigns recorded before
/// OmniConsole sent anything itself (the demo's history) have no flow and count as completed.
/// </summary>
public class Campaign
{
    /// <summary>The id providers send as <c>message.campaignId</c>.</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The first send step's channel (what lists show).</summary>
    public Channel? Channel { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public CampaignStatus Status { get; set; } = CampaignStatus.Completed;
    public int? SegmentId { get; set; }
    /// <summary>The definition (steps, exclusions, trigger) as the API takes it; see <see cref="CampaignDefinition"/>.</summary>
    public string? DefinitionJson { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? LaunchedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    /// <summary>Customers who entered the flow (at launch, or by the trigger so far).</summary>
    public int Audience { get; set; }
    /// <summary>A launched campaign enrols its audience in chunks by customer id: the last id enrolled, and whether all are.</summary>
    public long EnrolledUpToId { get; set; }
    public bool EnrollmentDone { get; set; }
    /// <summary>Bumped by every change of status: two staff pressing launch at once cannot both launch.</summary>
    public int Version { get; set; }
}

/// <summary>
/// Left: reacted during a wait (the wait's "unless"); Stopped: still on the way when the campaign was stopped; Control: held
/// out when they entered (the campaign's control group): they take no step, and their purchases are the baseline.
/// </summary>
public enum RecipientState { Active, Finished, Left, Stopped, Control }

/// <summary>
/// One customer's way through a campaign's flow: the next step to take and when. A triggered campaign has one per
/// occurrence (the cart, the purchase, the year); a customer is never in the same campaign twice at the same time.
/// </summary>
public class CampaignRecipient
{
    public long Id { get; set; }
    public string CampaignId { get; set; } = "";
    public long CustomerId { get; set; }
    /// <summary>Empty for a launch; for a trigger, what happened (e.g. <c>cart:2026-12-01T10:00</c>), so each occurrence enters once.</summary>
    public string Occurrence { get; set; } = "";
    public RecipientState State { get; set; }
    /// <summary>The next step to take.</summary>
    public int StepIndex { get; set; }
    /// <summary>When that step is due; null while a message of theirs waits to be sent.</summary>
    public DateTime? DueAtUtc { get; set; }
    public DateTime EnteredAtUtc { get; set; }
    /// <summary>The latest send step's message and when it went: what a wait's "unless" looks at.</summary>
    public long? LastMessageId { get; set; }
    public DateTime? LastSentAtUtc { get; set; }
}

public enum MessageStatus { Pending, Sent, Delivered, Failed, Skipped }

/// <summary>NoCodeLeft: the step hands out promo codes and none was left for this recipient.</summary>
public enum SkipReason { NoConsent, NoIdentifier, Capped, NoProvider, CampaignStopped, NoCodeLeft }

/// <summary>
/// The durable outbox: one row per campaign × step × recipient (unique), written when the step is reached and drained by
/// the dispatcher, which claims rows in the database so two app instances never send the same row. The row's id is the
/// message id providers get.
/// </summary>
public class OutboxMessage
{
    public long Id { get; set; }
    public string CampaignId { get; set; } = "";
    public int StepIndex { get; set; }
    public long RecipientId { get; set; }
    public long CustomerId { get; set; }
    public Channel Channel { get; set; }
    public MessageStatus Status { get; set; }
    public SkipReason? SkipReason { get; set; }
    public DateTime DueAtUtc { get; set; }
    /// <summary>Counted when the row is claimed, so a batch that never finishes still uses up its attempts.</summary>
    public int Attempts { get; set; }
    /// <summary>The first claim: retries go on until <see cref="MessagingOptions.RetryHours"/> after it.</summary>
    public DateTime? FirstAttemptAtUtc { get; set; }
    /// <summary>The dispatcher that claimed the row and until when; an expired claim (a crashed instance) is taken again.</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntilUtc { get; set; }
    public string? Address { get; set; }
    public DateTime? SentAtUtc { get; set; }
    public DateTime? DeliveredAtUtc { get; set; }
    public DateTime? OpenedAtUtc { get; set; }
    public DateTime? ClickedAtUtc { get; set; }
    public DateTime? UnsubscribedAtUtc { get; set; }
    public string? Error { get; set; }
    /// <summary>The step's variant this recipient got (its index), for a step with variants.</summary>
    public int? Variant { get; set; }
    /// <summary>The channel's price per message when it was sent: a later price change does not rewrite past campaigns' cost.</summary>
    public long PriceMinor { get; set; }
    /// <summary>The sandbox's simulated open and click, applied when their time comes.</summary>
    public DateTime? SandboxOpenAtUtc { get; set; }
    public DateTime? SandboxClickAtUtc { get; set; }
}

/// <summary>What one message of a channel costs, set by an administrator (for cost per channel and revenue per rouble).</summary>
public class ChannelPrice
{
    public Channel Channel { get; set; }
    public long PriceMinor { get; set; }
}

/// <summary>
/// A running campaign started by entering (or leaving) a saved segment: when its watched segment was first read (at
/// launch: those already in it do not enter) and last compared. Its members as of that pass are <see cref="SegmentWatchMember"/>s.
/// </summary>
public class SegmentWatch
{
    public string CampaignId { get; set; } = "";
    public int SegmentId { get; set; }
    public DateTime TakenAtUtc { get; set; }
    public DateTime LastPassAtUtc { get; set; }
    /// <summary>Passes so far: part of an entry's occurrence, so two entries are two occurrences even within one second.</summary>
    public int Passes { get; set; }
    public int Members { get; set; }
}

/// <summary>A customer who was in a campaign's watched segment at its last pass.</summary>
public class SegmentWatchMember
{
    public string CampaignId { get; set; } = "";
    public long CustomerId { get; set; }
}
