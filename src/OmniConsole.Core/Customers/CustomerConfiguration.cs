using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OmniConsole.Core.Customers;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(c => c.FirstName).HasMaxLength(100);
        b.Property(c => c.LastName).HasMaxLength(100);
        b.Property(c => c.City).HasMaxLength(100);
        b.Property(c => c.SearchName).HasMaxLength(201);
        b.Property(c => c.SearchFirstName).HasMaxLength(100);
        b.Property(c => c.Tier).HasMaxLength(32);
        b.Property(c => c.LoyaltyVersion).IsConcurrencyToken();
        b.HasOne(c => c.HomeStore).WithMany().HasForeignKey(c => c.HomeStoreId).OnDelete(DeleteBehavior.ClientSetNull);
        b.HasMany(c => c.Identifiers).WithOne().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Consents).WithOne().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(c => c.DisplayName);
        // The customer list and segments filter and sort by these.
        b.HasIndex(c => c.SearchName);
        // Only named customers: channels create many customers with a phone alone, and they need no entry here.
        // (A range condition on the column implies IS NOT NULL, so the search still seeks it; a test reads the plan.)
        b.HasIndex(c => c.SearchFirstName).HasFilter("\"SearchFirstName\" IS NOT NULL");
        b.HasIndex(c => c.City);
        b.HasIndex(c => c.LastPurchaseAtUtc);
        b.HasIndex(c => c.RegisteredAtUtc);
        b.HasIndex(c => c.LifetimeValueMinor);
        b.HasIndex(c => c.Tier);
        b.HasIndex(c => c.MergedIntoId);
    }
}

internal sealed class CustomerIdentifierConfiguration : IEntityTypeConfiguration<CustomerIdentifier>
{
    public void Configure(EntityTypeBuilder<CustomerIdentifier> b)
    {
        b.Property(i => i.Value).HasMaxLength(256);
        b.Property(i => i.Source).HasMaxLength(100);
        // One identifier, one customer: the database guards it even under concurrent ingestion.
        b.HasIndex(i => new { i.Kind, i.Value, i.Source }).IsUnique();
        b.HasIndex(i => i.CustomerId);
        // Lookup by value alone (list filters by phone/e-mail/card prefix).
        b.HasIndex(i => i.Value);
    }
}

internal sealed class CustomerConsentConfiguration : IEntityTypeConfiguration<CustomerConsent>
{
    public void Configure(EntityTypeBuilder<CustomerConsent> b)
    {
        b.HasKey(c => new { c.CustomerId, c.Channel });
        // "Consents to e-mail" for segments: one range instead of every customer's consents.
        b.HasIndex(c => new { c.Channel, c.Granted, c.CustomerId });
    }
}
