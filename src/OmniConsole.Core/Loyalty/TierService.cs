using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;

namespace OmniConsole.Core.Loyalty;

public sealed class TierValidationException(IReadOnlyList<Common.FieldError> errors) : Exception(string.Join(" ", errors.Select(e => e.Message)))
{
    public IReadOnlyList<Common.FieldError> Errors { get; } = errors;
}

/// <summary>
/// The tier list and every customer's tier (MANAGEMENT-API.md, tiers): the highest tier whose threshold the customer's
/// paid amount less refunds over the last 365 days reaches. Ingestion recomputes the customers a batch sold to or
/// refunded; <see cref="RecomputeAgedAsync"/> runs daily for those whose purchases aged out of the window; saving the
/// list recomputes everyone.
/// </summary>
public sealed class TierService(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock)
{
    public const int WindowDays = 365;
    private const int Chunk = 2_000;

    public sealed record Tier(string Name, decimal MinSpent);

    public async Task<List<Tier>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Tiers.AsNoTracking().OrderBy(t => t.MinSpentMinor).ToListAsync(ct))
            .Select(t => new Tier(t.Name, t.MinSpentMinor / 100m)).ToList();
    }

    public static List<Common.FieldError> Validate(IReadOnlyList<Tier> tiers)
    {
        var errors = new List<Common.FieldError>();
        if (tiers.Count > 0 && tiers[0] is { MinSpent: not 0 }) errors.Add(new("[0].minSpent", LoyaltyMessages.FirstTierAtZero));
        for (var i = 0; i < tiers.Count; i++)
        {
            var t = tiers[i];
            if (t is null)
            {
                errors.Add(new($"[{i}]", ServiceMessages.Format(LoyaltyMessages.NotATier, "{ \"name\", \"minSpent\" }")));
                continue;
            }
            if (string.IsNullOrWhiteSpace(t.Name)) errors.Add(new($"[{i}].name", LoyaltyMessages.TierNeedsName));
            else if (t.Name.Trim().Length > 32) errors.Add(new($"[{i}].name", LoyaltyMessages.TierNameTooLong));
            if (t.MinSpent < 0 || !Common.Money.TryFromMajor(t.MinSpent, out _)) errors.Add(new($"[{i}].minSpent", LoyaltyMessages.TierThreshold));
            else if (i > 0 && tiers[i - 1] is { } previous && t.MinSpent <= previous.MinSpent) errors.Add(new($"[{i}].minSpent", LoyaltyMessages.TiersAscending));
            if (t.Name is not null && tiers.Take(i).Any(o => string.Equals(o?.Name?.Trim(), t.Name.Trim(), StringComparison.OrdinalIgnoreCase)))
                errors.Add(new($"[{i}].name", ServiceMessages.Format(LoyaltyMessages.TierTwice, t.Name)));
        }
        return errors;
    }

    /// <summary>Replaces the list and recomputes every customer's tier; returns the saved list.</summary>
    public async Task<List<Tier>> SaveAsync(IReadOnlyList<Tier> tiers, string actor, CancellationToken ct)
    {
        var errors = Validate(tiers);
        if (errors.Count > 0) throw new TierValidationException(errors);
        var rows = tiers.Select(t => new LoyaltyTier { Name = t.Name.Trim(), MinSpentMinor = Common.Money.FromMajor(t.MinSpent).Minor }).ToList();
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Tiers.ExecuteDeleteAsync(ct);
            db.Tiers.AddRange(rows);
            await db.SaveChangesAsync(ct);
            db.AuditEntries.Add(new AuditEntry
            {
                AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = AuditAction.TiersChanged,
                Details = rows.Count == 0 ? "No tiers" : string.Join(", ", rows.Select(r => $"{r.Name} ≥ {r.MinSpentMinor / 100m:0.##}")),
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await RecomputeAllAsync(ct);
        return await ListAsync(ct);
    }

    /// <summary>Each customer's paid amount less refunds over the window ending at <paramref name="nowUtc"/>, by customer (absent: nothing).</summary>
    public static async Task<Dictionary<long, long>> SpentAsync(OmniConsoleDbContext db, IReadOnlyCollection<long> customerIds, DateTime nowUtc, CancellationToken ct)
    {
        var since = nowUtc.AddDays(-WindowDays);
        var result = new Dictionary<long, long>();
        foreach (var chunk in customerIds.Distinct().Chunk(500))
        {
            var rows = await db.Orders.Where(o => chunk.Contains(o.CustomerId) && o.Status == OrderStatus.Purchased && o.OccurredAtUtc >= since)
                .GroupBy(o => o.CustomerId)
                .Select(g => new { g.Key, Spent = g.Sum(o => o.TotalMinor - o.BonusRedeemedMinor - o.RefundedPaidMinor) })
                .ToListAsync(ct);
            foreach (var r in rows) result[r.Key] = r.Spent;
        }
        return result;
    }

    /// <summary>Recomputes every customer's tier in chunks, each its own short write; returns how many changed.</summary>
    public async Task<int> RecomputeAllAsync(CancellationToken ct)
    {
        long after = 0;
        var changed = 0;
        while (true)
        {
            List<long> ids;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
                ids = await db.Customers.Where(c => c.Id > after && c.MergedIntoId == null).OrderBy(c => c.Id).Select(c => c.Id).Take(Chunk).ToListAsync(ct);
            if (ids.Count == 0) return changed;
            changed += await RecomputeAsync(ids, ct);
            after = ids[^1];
        }
    }

    /// <summary>Daily: customers with a purchase that left the 365-day window in the last two days (two, so a missed day is caught up).</summary>
    public async Task<int> RecomputeAgedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (from, to) = (now.AddDays(-WindowDays - 2), now.AddDays(-WindowDays));
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Tiers.AnyAsync(ct)) return 0;
            ids = await db.Orders.Where(o => o.OccurredAtUtc >= from && o.OccurredAtUtc < to && o.Status == OrderStatus.Purchased)
                .Select(o => o.CustomerId).Distinct().ToListAsync(ct);
        }
        var changed = 0;
        foreach (var chunk in ids.Chunk(Chunk)) changed += await RecomputeAsync(chunk, ct);
        return changed;
    }

    private async Task<int> RecomputeAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using var turn = await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var tiers = await db.Tiers.AsNoTracking().OrderBy(t => t.MinSpentMinor).ToListAsync(ct);
        var spent = await SpentAsync(db, ids, now, ct);
        var current = await db.Customers.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Tier }).ToListAsync(ct);
        var changed = 0;
        foreach (var group in current.Select(c => (c.Id, c.Tier, New: LoyaltyRules.TierFor(tiers, spent.GetValueOrDefault(c.Id)))).Where(c => c.Tier != c.New).GroupBy(c => c.New))
        {
            var groupIds = group.Select(c => c.Id).ToList();
            // A tier change is a loyalty change: the concurrency token moves, so a writer holding the old row retries.
            changed += await db.Customers.Where(c => groupIds.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Tier, group.Key).SetProperty(c => c.LoyaltyVersion, c => c.LoyaltyVersion + 1), ct);
        }
        await tx.CommitAsync(ct);
        return changed;
    }
}
