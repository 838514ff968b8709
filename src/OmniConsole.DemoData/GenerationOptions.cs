namespace OmniConsole.DemoData;

/// <summary>What <see cref="DataSetGenerator"/> makes. The same options always give the same data.</summary>
public sealed record GenerationOptions
{
    /// <summary>Customers in total, the showcase customers of <see cref="DemoShowcase"/> included.</summary>
    public int Customers { get; init; } = 5_000;

    /// <summary>Timeline events wanted in total; met approximately by scaling each customer's history.</summary>
    public long Events { get; init; } = 125_000;

    public int Seed { get; init; } = DefaultSeed;

    public const int DefaultSeed = 20_240_601;

    /// <summary>The moment the histories end: every generated time lies before it, the history starts 18 months earlier.</summary>
    public required DateTime NowUtc { get; init; }

    /// <summary>
    /// Each campaign message of the histories also as the outbox row (and recipient) OmniConsole keeps for a message it
    /// sent, so the past campaigns show their results: the demo's. A benchmark set leaves them out (millions of rows
    /// its measurements do not read).
    /// </summary>
    public bool CampaignMessages { get; init; }

    /// <summary>Share of a check payable with points (OmniConsole:Loyalty:MaxRedeemShare) unless a rule sets its own.</summary>
    public decimal MaxRedeemShare { get; init; } = 0.5m;
}

public enum GenerationStage { Loading, Indexing, Done }

public sealed record GenerationProgress(GenerationStage Stage, long Customers, long Events, long Rows, TimeSpan Elapsed, string? Detail = null);

public sealed record GenerationResult(long Customers, long Events, long Rows, TimeSpan Elapsed);
