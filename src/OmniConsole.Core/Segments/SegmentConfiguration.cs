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
        b.HasOne(f => f.Customer).WithMany().HasForeignKey(f => f.CustomerId).OnDelete(DeleteBehavior.Cascade);
        // Live events arrive with recent times, so each insert lands at the end of its (type, kind, value) range:
        // a few hot pages, not a random write. Conditions read one range of it.
        b.HasIndex(f => new { f.Type, f.Kind, f.Value, f.OccurredAtUtc, f.CustomerId, f.Channel }).HasDatabaseName("IX_CustomerEventFacets_Read");
        b.HasIndex(f => f.CustomerId);
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
