using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OmniConsole.Core.Segments;

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> b)
    {
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Description).HasMaxLength(2000);
        b.Property(s => s.Owner).HasMaxLength(256);
    }
}

internal sealed class SegmentVersionConfiguration : IEntityTypeConfiguration<SegmentVersion>
{
    public void Configure(EntityTypeBuilder<SegmentVersion> b)
    {
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Description).HasMaxLength(2000);
        b.Property(s => s.ChangedBy).HasMaxLength(256);
        b.HasOne<Segment>().WithMany().HasForeignKey(v => v.SegmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(v => new { v.SegmentId, v.Version }).IsUnique();
    }
}

internal sealed class SegmentSizeConfiguration : IEntityTypeConfiguration<SegmentSize>
{
    public void Configure(EntityTypeBuilder<SegmentSize> b)
    {
        b.HasKey(s => new { s.SegmentId, s.Day });
        b.HasOne<Segment>().WithMany().HasForeignKey(s => s.SegmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerEventFacetConfiguration : IEntityTypeConfiguration<CustomerEventFacet>
{
    public void Configure(EntityTypeBuilder<CustomerEventFacet> b)
    {
        b.Property(f => f.Value).HasMaxLength(100);
        // No foreign key, so no index by customer: that index would cost every facet a write at a random place (measured:
        // ingestion fell by about a third). Nothing reads facets by customer; a merge leaves the loser's
        // rows behind (merged-away customers are never members) and writes the survivor's anew from the moved events.
        b.Ignore(f => f.Customer);
        // Ordered by arrival, not by occurrence: a batch's facets all land at the end of their (type, kind, value) range —
        // a few hot pages — even when channels send events from the past (ordered by occurredAt, each facet was a write
        // at a random place, and ingestion slowed by about a third). An event arrives at most a day before it says it
        // happened (the validator's limit), so "occurred in the last N days" is the range "received in the last N+1
        // days" checked against OccurredAtUtc, which the index also holds.
        b.HasIndex(f => new { f.Type, f.Kind, f.Value, f.ReceivedAtUtc, f.OccurredAtUtc, f.CustomerId, f.Channel }).HasDatabaseName("IX_CustomerEventFacets_Read");
    }
}

internal sealed class CustomerChannelActivityConfiguration : IEntityTypeConfiguration<CustomerChannelActivity>
{
    public void Configure(EntityTypeBuilder<CustomerChannelActivity> b)
    {
        b.HasKey(a => new { a.CustomerId, a.Channel });
        b.HasOne<Customers.Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
