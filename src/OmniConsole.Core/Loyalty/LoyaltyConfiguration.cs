using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OmniConsole.Core.Channels;

namespace OmniConsole.Core.Loyalty;

internal sealed class EarningRuleConfiguration : IEntityTypeConfiguration<EarningRule>
{
    public void Configure(EntityTypeBuilder<EarningRule> b)
    {
        b.Property(r => r.Name).HasMaxLength(200);
        b.Property(r => r.Channels)
            .HasConversion(
                list => string.Join(',', list),
                text => text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<Channel>).ToList(),
                new ValueComparer<List<Channel>>((x, y) => x!.SequenceEqual(y!), l => l.Aggregate(0, (h, c) => h * 31 + (int)c), l => l.ToList()))
            .HasMaxLength(200);
        // A new database holds the default rule: 5 % of the paid amount, all channels, pending 14 days, active 365 days.
        b.HasData(new EarningRule
        {
            Id = EarningRule.DefaultRuleId,
            Name = "Base earning: 5 % of the paid amount",
            PercentBasisPoints = 500,
            Channels = [],
            ActivationDelayDays = 14,
            LifetimeDays = 365,
            IsActive = true,
            CreatedAtUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        });
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
        // The loyalty report sums one kind over one month at a time: each sum one stretch of this index, which holds
        // every column the report reads, so the ledger table itself is not touched.
        b.HasIndex(e => new { e.Kind, e.AtUtc, e.OrderId, e.LotId, e.AmountMinor }).HasDatabaseName("IX_BonusLedger_Report");
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
