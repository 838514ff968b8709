using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Timeline;

internal sealed class CustomerEventConfiguration : IEntityTypeConfiguration<CustomerEvent>
{
    public void Configure(EntityTypeBuilder<CustomerEvent> b)
    {
        b.Property(e => e.Source).HasMaxLength(100);
        b.Property(e => e.SourceEventId).HasMaxLength(200);
        b.Property(e => e.Summary).HasMaxLength(500);
        b.Property(e => e.CampaignId).HasMaxLength(100);
        b.Property(e => e.MessageId).HasMaxLength(100);
        b.Property(e => e.ProductSku).HasMaxLength(64);
        // Payloads are written once and never edited: compared by reference.
        b.Property(e => e.Payload)
            .HasConversion(p => JsonValue.Serialize(p), s => JsonValue.Deserialize<EventPayload>(s),
                new ValueComparer<EventPayload>((x, y) => ReferenceEquals(x, y), p => p.GetHashCode(), p => p));
        b.HasOne(e => e.Customer).WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(e => e.Order).WithMany().HasForeignKey(e => e.OrderId).OnDelete(DeleteBehavior.ClientSetNull);
        b.HasOne(e => e.Store).WithMany().HasForeignKey(e => e.StoreId).OnDelete(DeleteBehavior.ClientSetNull);
        // Idempotency: one source's event id is one event.
        b.HasIndex(e => new { e.Source, e.SourceEventId }).IsUnique();
        // The timeline, newest first. Channel and type ride along in the index, so the channel and type filters, the
        // card's interests (current cart, favourites, viewed) and "channels used" read the index alone. Every index
        // here costs each ingested event a write at a random place, which is what bounds ingestion at 20M events:
        // this one replaces separate (customer, channel) and (customer, type) indexes, and nothing asks for events
        // by type across all customers yet (segments and reports will decide how they read, with measurements).
        b.HasIndex(e => new { e.CustomerId, e.OccurredAtUtc, e.Id, e.Channel, e.Type }).HasDatabaseName("IX_CustomerEvents_Timeline");
    }
}
