using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Loyalty;

internal sealed class EarningRuleConfiguration : IEntityTypeConfiguration<EarningRule>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All), // Cyrillic stays readable in SQL
    };

    public void Configure(EntityTypeBuilder<EarningRule> b)
    {
        b.Property(r => r.Name).HasMaxLength(200);
        // The conditions are read whole with their rule and never queried by SQL: one JSON column.
        b.Property(r => r.Conditions)
            .HasConversion(
                c => JsonSerializer.Serialize(c, Json),
                text => JsonSerializer.Deserialize<EarningRuleConditions>(text, Json) ?? new EarningRuleConditions(),
                new ValueComparer<EarningRuleConditions>(
                    (x, y) => JsonSerializer.Serialize(x, Json) == JsonSerializer.Serialize(y, Json),
                    c => JsonSerializer.Serialize(c, Json).GetHashCode(),
                    c => JsonSerializer.Deserialize<EarningRuleConditions>(JsonSerializer.Serialize(c, Json), Json)!))
            .HasMaxLength(8000);
        // A new database holds the default rule: 5 % of the paid amount, all channels, pending 14 days, active 365 days.
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        b.HasData(new EarningRule
        {
            Id = EarningRule.DefaultRuleId,
            Name = "Base earning: 5 % of the paid amount",
            Kind = EarningRuleKind.Purchase,
            Status = EarningRuleStatus.Active,
            PercentBasisPoints = 500,
            Conditions = new EarningRuleConditions(),
            ActivationDelayDays = 14,
            LifetimeDays = 365,
            Version = 1,
            CreatedAtUtc = created,
            UpdatedAtUtc = created,
        });
    }
}

internal sealed class EarningRuleVersionConfiguration : IEntityTypeConfiguration<EarningRuleVersion>
{
    public void Configure(EntityTypeBuilder<EarningRuleVersion> b)
    {
        b.Property(v => v.ChangedBy).HasMaxLength(200);
        b.HasOne<EarningRule>().WithMany().HasForeignKey(v => v.RuleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(v => new { v.RuleId, v.Version }).IsUnique();
    }
}

internal sealed class EarningRuleGrantConfiguration : IEntityTypeConfiguration<EarningRuleGrant>
{
    public void Configure(EntityTypeBuilder<EarningRuleGrant> b)
    {
        b.HasOne<EarningRule>().WithMany().HasForeignKey(g => g.RuleId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne(g => g.Customer).WithMany().HasForeignKey(g => g.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(g => new { g.RuleId, g.CustomerId, g.Period }).IsUnique();
        b.HasIndex(g => g.CustomerId);
    }
}

internal sealed class BonusLotConfiguration : IEntityTypeConfiguration<BonusLot>
{
    public void Configure(EntityTypeBuilder<BonusLot> b)
    {
        b.HasOne(l => l.Customer).WithMany().HasForeignKey(l => l.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(l => l.Order).WithMany().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.ClientSetNull);
        b.HasIndex(l => new { l.CustomerId, l.ExpiresAtUtc });
        b.HasIndex(l => new { l.ActivationRecorded, l.ActivatesAtUtc });
        b.HasIndex(l => new { l.ExpiryRecorded, l.ExpiresAtUtc });
        b.HasIndex(l => l.OrderId);
    }
}

internal sealed class BonusLedgerEntryConfiguration : IEntityTypeConfiguration<BonusLedgerEntry>
{
    public void Configure(EntityTypeBuilder<BonusLedgerEntry> b)
    {
        b.Property(e => e.Note).HasMaxLength(300);
        b.HasOne(e => e.Customer).WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(e => e.Order).WithMany().HasForeignKey(e => e.OrderId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne(e => e.Lot).WithMany().HasForeignKey(e => e.LotId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(e => new { e.CustomerId, e.AtUtc });
        b.HasIndex(e => e.OrderId);
        // The loyalty report sums one kind over one month at a time by channel and rule: each sum one stretch of this
        // index, which holds every column the report reads, so neither the ledger nor orders and lots are touched.
        b.HasIndex(e => new { e.Kind, e.AtUtc, e.Channel, e.RuleId, e.AmountMinor }).HasDatabaseName("IX_BonusLedger_Report");
    }
}

internal sealed class RedemptionAllocationConfiguration : IEntityTypeConfiguration<RedemptionAllocation>
{
    public void Configure(EntityTypeBuilder<RedemptionAllocation> b)
    {
        b.HasOne(a => a.Order).WithMany().HasForeignKey(a => a.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(a => a.Lot).WithMany().HasForeignKey(a => a.LotId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(a => a.OrderId);
    }
}

internal sealed class PromoCodeConfiguration : IEntityTypeConfiguration<PromoCode>
{
    public void Configure(EntityTypeBuilder<PromoCode> b)
    {
        b.Property(p => p.Code).HasMaxLength(64);
        b.Property(p => p.Description).HasMaxLength(300);
        b.Property(p => p.CampaignId).HasMaxLength(100);
        b.Property(p => p.UsedCount).IsConcurrencyToken();
        b.HasIndex(p => p.Code).IsUnique();
        b.HasOne<Customers.Customer>().WithMany().HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.ClientSetNull);
        b.HasIndex(p => p.CustomerId);
        b.HasOne(p => p.PromoCampaign).WithMany().HasForeignKey(p => p.PromoCampaignId).OnDelete(DeleteBehavior.Cascade);
        // The campaign's codes in order (paging the list) and its next free code (issuing).
        b.HasIndex(p => new { p.PromoCampaignId, p.Id });
        b.HasIndex(p => new { p.PromoCampaignId, p.CustomerId, p.UsedCount });
    }
}

internal sealed class PromoCampaignConfiguration : IEntityTypeConfiguration<PromoCampaign>
{
    public void Configure(EntityTypeBuilder<PromoCampaign> b)
    {
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.CreatedBy).HasMaxLength(200);
        b.Property(c => c.Channels)
            .HasConversion(
                list => string.Join(',', list),
                text => text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<Channel>).ToList(),
                new ValueComparer<List<Channel>>((x, y) => x!.SequenceEqual(y!), l => l.Aggregate(0, (h, c) => h * 31 + (int)c), l => l.ToList()))
            .HasMaxLength(200);
    }
}

internal sealed class LoyaltyTierConfiguration : IEntityTypeConfiguration<LoyaltyTier>
{
    public void Configure(EntityTypeBuilder<LoyaltyTier> b)
    {
        b.Property(t => t.Name).HasMaxLength(32);
        b.HasIndex(t => t.Name).IsUnique();
    }
}

internal sealed class PromoCodeRedemptionConfiguration : IEntityTypeConfiguration<PromoCodeRedemption>
{
    public void Configure(EntityTypeBuilder<PromoCodeRedemption> b)
    {
        b.HasOne(r => r.PromoCode).WithMany().HasForeignKey(r => r.PromoCodeId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(r => r.Customer).WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne(r => r.Order).WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(r => r.PromoCodeId);
        b.HasIndex(r => r.CustomerId);
    }
}
