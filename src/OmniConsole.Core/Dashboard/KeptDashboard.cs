using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OmniConsole.Core.Dashboard;

/// <summary>
/// A period's dashboard figures as last computed on any instance (<see cref="DashboardSnapshot"/> as JSON): computed
/// once by the instance that runs the shared work, read by every web instance.
/// </summary>
public class KeptDashboard
{
    public DashboardPeriod Period { get; set; }
    public DateTime AtUtc { get; set; }
    public string Json { get; set; } = "";
}

internal sealed class KeptDashboardConfiguration : IEntityTypeConfiguration<KeptDashboard>
{
    public void Configure(EntityTypeBuilder<KeptDashboard> b)
    {
        b.ToTable("KeptDashboards");
        b.HasKey(k => k.Period);
        b.Property(k => k.Period).HasConversion<string>().HasMaxLength(40);
    }
}
