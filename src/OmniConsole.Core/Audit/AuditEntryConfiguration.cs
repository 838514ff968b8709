using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OmniConsole.Core.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.Actor).HasMaxLength(256);
        b.Property(a => a.Details).HasMaxLength(1000);
        b.HasIndex(a => a.AtUtc);
        b.HasIndex(a => new { a.CustomerId, a.AtUtc });
        b.HasIndex(a => new { a.Actor, a.AtUtc });
        b.HasIndex(a => new { a.Action, a.AtUtc }); // /admin/audit filtered by what was done
        // Who and what together: without it SQLite (no statistics) may walk every entry of the action checking the actor.
        b.HasIndex(a => new { a.Actor, a.Action, a.AtUtc });
    }
}
