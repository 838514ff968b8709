using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OmniConsole.Core.Exports;

/// <summary><see cref="Expired"/>: completed, and its file deleted (past the retention period, or it could hold a customer since erased).</summary>
public enum ExportStatus { Queued, Running, Completed, Failed, Cancelled, Expired }

/// <summary>A segment's member report being written in the background, and then the file to download.</summary>
public class ExportJob
{
    public long Id { get; set; }
    public int SegmentId { get; set; }
    public string SegmentName { get; set; } = "";
    public int SegmentVersion { get; set; }
    /// <summary>Who asked for it (staff e-mail or <c>api:{key}</c>); only they see it in their list (administrators see all).</summary>
    public string RequestedBy { get; set; } = "";
    /// <summary>Whether the file may show full phones and e-mails (decided by the requester's role when asked).</summary>
    public bool FullContacts { get; set; }
    /// <summary>The requester's UI culture: the file's words and dates are in it.</summary>
    public string Culture { get; set; } = "en-US";
    public ExportStatus Status { get; set; }
    public int RowsWritten { get; set; }
    public int? TotalRows { get; set; }
    public string? Error { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public string FileName { get; set; } = "";
    public long? FileBytes { get; set; }
}

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<ExportJob>
{
    public void Configure(EntityTypeBuilder<ExportJob> b)
    {
        b.Property(e => e.SegmentName).HasMaxLength(200);
        b.Property(e => e.RequestedBy).HasMaxLength(256);
        b.Property(e => e.Error).HasMaxLength(2000);
        b.Property(e => e.FileName).HasMaxLength(300);
        b.Property(e => e.Culture).HasMaxLength(16);
        b.HasIndex(e => new { e.RequestedBy, e.CreatedAtUtc });
        b.HasIndex(e => e.Status);
    }
}
