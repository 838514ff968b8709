using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Segments;

/// <summary>A saved audience: a definition (JSON, see <see cref="SegmentDefinition"/>) evaluated in the database whenever it is asked.</summary>
public class Segment
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>The staff e-mail or <c>api:{key}</c> that created it.</summary>
    public string Owner { get; set; } = "";
    /// <summary>The current definition as JSON; every change makes a new <see cref="Version"/> kept in <see cref="SegmentVersion"/>.</summary>
    public string DefinitionJson { get; set; } = "";
    public int Version { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public DateTime? ArchivedAtUtc { get; set; }
}

/// <summary>One saved state of a segment: who changed it to what, when.</summary>
public class SegmentVersion
{
    public long Id { get; set; }
    public int SegmentId { get; set; }
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string DefinitionJson { get; set; } = "";
    public string ChangedBy { get; set; } = "";
    public DateTime ChangedAtUtc { get; set; }
}

/// <summary>A segment's member count on a day (the size-history chart), written by the daily job.</summary>
public class SegmentSize
{
    public int SegmentId { get; set; }
    public DateOnly Day { get; set; }
    public int Count { get; set; }
}

/// <summary>
/// What a facet row says about its event: <see cref="Event"/> (value empty: one row for every channel event, so "events of
/// type T in N days" reads one range), <see cref="Category"/> and <see cref="Brand"/> of its lines, <see cref="Campaign"/>
/// (the campaign id of a message event).
/// </summary>
public enum FacetKind { Event, Category, Brand, Campaign }

/// <summary>
/// What segments ask of a timeline event, in the order they ask it: its type, then the event itself, a product category or
/// brand it touched (the viewed product, cart lines, order lines) or its campaign, then its time. "Events of type T (with
/// category C) in N days" is one range of one index, instead of a scan of the timeline or parsing payload JSON; the
/// timeline's own indexes stay as the 360° card needs them. Written by ingestion and the data generators through
/// <see cref="SegmentFacts"/>.
/// </summary>
public class CustomerEventFacet
{
    public long Id { get; set; }
    public long CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public EventType Type { get; set; }
    public Channel Channel { get; set; }
    public int? StoreId { get; set; }
    public DateTime OccurredAtUtc { get; set; }
    /// <summary>When the event arrived: the index is ordered by it, so facets are written at its end, not at random.</summary>
    public DateTime ReceivedAtUtc { get; set; }
    public FacetKind Kind { get; set; }
    public string Value { get; set; } = "";
}

/// <summary>When a customer first and last did anything in a channel: "channels used (in N days)" without reading the timeline.</summary>
public class CustomerChannelActivity
{
    public long CustomerId { get; set; }
    public Channel Channel { get; set; }
    public DateTime FirstAtUtc { get; set; }
    public DateTime LastAtUtc { get; set; }

    public ActivitySpan Span => new(FirstAtUtc, LastAtUtc);

    /// <summary>Takes in activity from <paramref name="first"/> to <paramref name="last"/> (<see cref="ActivitySpan.Widen"/>).</summary>
    public void Widen(DateTime first, DateTime last) => (FirstAtUtc, LastAtUtc) = Span.Widen(first, last);
}

/// <summary>
/// A customer's first and last time in a channel. The rule, in one place: the span only ever widens (an event inside
/// it changes nothing). The database families' upserts say the same in SQL.
/// </summary>
public readonly record struct ActivitySpan(DateTime First, DateTime Last)
{
    public static ActivitySpan At(DateTime at) => new(at, at);

    public ActivitySpan Widen(DateTime first, DateTime last) => new(first < First ? first : First, last > Last ? last : Last);
}
