using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OmniConsole.Core.Campaigns;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.Property(c => c.Id).HasMaxLength(100);
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.CreatedBy).HasMaxLength(256);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => c.Status);
    }
}

internal sealed class CampaignRecipientConfiguration : IEntityTypeConfiguration<CampaignRecipient>
{
    public void Configure(EntityTypeBuilder<CampaignRecipient> b)
    {
        b.Property(r => r.CampaignId).HasMaxLength(100);
        b.Property(r => r.Occurrence).HasMaxLength(100);
        b.HasIndex(r => new { r.CampaignId, r.CustomerId, r.Occurrence }).IsUnique();
        // Never twice in the same campaign at the same time.
        b.HasIndex(r => new { r.CampaignId, r.CustomerId }).IsUnique().HasFilter("\"State\" = 'Active'").HasDatabaseName("IX_CampaignRecipients_OneActive");
        // The flow's work list: a campaign's active recipients at a step whose turn has come.
        b.HasIndex(r => new { r.State, r.CampaignId, r.StepIndex, r.DueAtUtc });
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(m => m.CampaignId).HasMaxLength(100);
        b.Property(m => m.ClaimedBy).HasMaxLength(100);
        b.Property(m => m.Address).HasMaxLength(256);
        b.Property(m => m.Error).HasMaxLength(500);
        b.HasIndex(m => new { m.CampaignId, m.StepIndex, m.RecipientId }).IsUnique();
        // Each channel's dispatcher's work list in the claim's order (a channel with few messages is not read past
        // another's million; the key last, so a server need not sort the thousands due at the same instant); caps count a
        // customer's messages per channel over the last day.
        b.HasIndex(m => new { m.Status, m.Channel, m.DueAtUtc, m.Id });
        b.HasIndex(m => new { m.CustomerId, m.Channel, m.SentAtUtc });
        b.HasIndex(m => m.SandboxOpenAtUtc).HasFilter("\"SandboxOpenAtUtc\" IS NOT NULL");
        b.HasIndex(m => m.SandboxClickAtUtc).HasFilter("\"SandboxClickAtUtc\" IS NOT NULL");
    }
}

internal sealed class ChannelPriceConfiguration : IEntityTypeConfiguration<ChannelPrice>
{
    public void Configure(EntityTypeBuilder<ChannelPrice> b) => b.HasKey(p => p.Channel);
}

internal sealed class SegmentWatchConfiguration : IEntityTypeConfiguration<SegmentWatch>
{
    public void Configure(EntityTypeBuilder<SegmentWatch> b)
    {
        b.HasKey(w => w.CampaignId);
        b.Property(w => w.CampaignId).HasMaxLength(100);
    }
}

internal sealed class SegmentWatchMemberConfiguration : IEntityTypeConfiguration<SegmentWatchMember>
{
    public void Configure(EntityTypeBuilder<SegmentWatchMember> b)
    {
        b.HasKey(m => new { m.CampaignId, m.CustomerId });
        b.Property(m => m.CampaignId).HasMaxLength(100);
    }
}
