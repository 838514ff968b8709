using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Feedback;

/// <summary>A customer's answer to a survey message: one per message (a second answer on the same link replaces it).</summary>
public class SurveyAnswer
{
    public long Id { get; set; }
    /// <summary>The survey message (its outbox row); unique.</summary>
    public long MessageId { get; set; }
    public string CampaignId { get; set; } = "";
    public long CustomerId { get; set; }
    /// <summary>The channel the survey was sent by.</summary>
    public Channel Channel { get; set; }
    public SurveyScale Scale { get; set; }
    public int Score { get; set; }
    public string? Comment { get; set; }
    public DateTime AnsweredAtUtc { get; set; }
    /// <summary>The store of the purchase the survey asks about, when a purchase started it.</summary>
    public string? StoreCode { get; set; }
}

public enum FollowupStatus { Open, Closed }

/// <summary>A detractor's answer, or any answer with a comment, for staff to act on: taken, then closed with a note.</summary>
public class FeedbackFollowup
{
    public long Id { get; set; }
    /// <summary>The answer it follows up (unique): a changed answer updates its open follow-up.</summary>
    public long AnswerId { get; set; }
    public long CustomerId { get; set; }
    public string CampaignId { get; set; } = "";
    public SurveyScale Scale { get; set; }
    public int Score { get; set; }
    public string? Comment { get; set; }
    public DateTime OpenedAtUtc { get; set; }
    public FollowupStatus Status { get; set; }
    public string? TakenBy { get; set; }
    public string? Note { get; set; }
    public string? ClosedBy { get; set; }
    public DateTime? ClosedAtUtc { get; set; }
    /// <summary>Bumped by every change: two staff closing at once cannot both close it.</summary>
    public int Version { get; set; }
}

internal sealed class SurveyAnswerConfiguration : IEntityTypeConfiguration<SurveyAnswer>
{
    public void Configure(EntityTypeBuilder<SurveyAnswer> b)
    {
        b.Property(a => a.CampaignId).HasMaxLength(100);
        b.Property(a => a.Comment).HasMaxLength(2000);
        b.Property(a => a.StoreCode).HasMaxLength(50);
        b.HasIndex(a => a.MessageId).IsUnique();
        // The summary reads answers by time; a customer's latest answer is read by customer.
        b.HasIndex(a => a.AnsweredAtUtc);
        b.HasIndex(a => new { a.CustomerId, a.AnsweredAtUtc });
    }
}

internal sealed class FeedbackFollowupConfiguration : IEntityTypeConfiguration<FeedbackFollowup>
{
    public void Configure(EntityTypeBuilder<FeedbackFollowup> b)
    {
        b.Property(f => f.CampaignId).HasMaxLength(100);
        b.Property(f => f.Comment).HasMaxLength(2000);
        b.Property(f => f.Note).HasMaxLength(2000);
        b.Property(f => f.TakenBy).HasMaxLength(256);
        b.Property(f => f.ClosedBy).HasMaxLength(256);
        b.Property(f => f.Version).IsConcurrencyToken();
        b.HasIndex(f => f.AnswerId).IsUnique();
        // The queue: a status's follow-ups by id.
        b.HasIndex(f => new { f.Status, f.Id });
    }
}
