using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OmniConsole.Core.Jobs;

/// <summary>
/// Which instance runs a piece of shared background work, and when it last finished it. A row per job, taken by a
/// conditional update (<see cref="JobLeases"/>): never two holders at once, and a crashed holder's lease runs out.
/// </summary>
public class JobLease
{
    public string Name { get; set; } = "";
    /// <summary>The instance holding the lease (<see cref="JobLeases.Instance"/>); null when released.</summary>
    public string? Holder { get; set; }
    public DateTime? HeldUntilUtc { get; set; }
    /// <summary>When the last finished run of a periodic job started: the next is due a period after it.</summary>
    public DateTime? LastRunAtUtc { get; set; }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> b)
    {
        b.HasKey(l => l.Name);
        b.Property(l => l.Name).HasMaxLength(100);
        b.Property(l => l.Holder).HasMaxLength(200);
    }
}
