using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using static OmniConsole.Core.Loyalty.LoyaltyMessages;

namespace OmniConsole.Core.Loyalty;

public sealed class PromoValidationException(IReadOnlyList<FieldError> errors) : Exception(string.Join(" ", errors.Select(e => e.Message)))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>No free code left in a unique campaign (409).</summary>
public sealed class PromoCodesExhaustedException(string message) : Exception(message);

public sealed class PromoCampaignInput
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Code { get; set; }
    public int? Count { get; set; }
    public decimal? DiscountPercent { get; set; }
    public decimal? DiscountAmount { get; set; }
    public decimal? BonusPoints { get; set; }
    public DateTimeOffset? ValidFrom { get; set; }
    public DateTimeOffset? ValidTo { get; set; }
    public int? UsesPerCode { get; set; }
    public int? UsesPerCustomer { get; set; }
    public List<string>? Channels { get; set; }
}

/// <summary>A promo campaign with its usage: codes issued to customers, uses, and the revenue of the orders that used them.</summary>
public sealed record PromoCampaignView(int PromoCampaignId, string Name, string Kind, string? Code, int Count, decimal? DiscountPercent, decimal? DiscountAmount,
    decimal? BonusPoints, DateTime? ValidFrom, DateTime? ValidTo, int? UsesPerCode, int? UsesPerCustomer, IReadOnlyList<string> Channels,
    int Issued, int Used, decimal Revenue, DateTime CreatedAt, string CreatedBy);

public sealed record PromoCodeRow(long Id, string Code, int UsedCount, long? CustomerId);

/// <summary>
/// Promo campaigns (MANAGEMENT-API.md, promo codes) for the UI and the API: one shared code or up to 100,000 generated
/// unique ones, handed out to customers one at a time. Whether a purchase may use a code is decided by ingestion.
/// </summary>
public sealed class PromoCampaignService(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, IdentityResolution.CustomerLookup lookup, TimeProvider clock,
    CustomerChangeNotifier notifier)
{
    /// <summary>No 0/O, 1/I/L: a code read aloud or from a receipt cannot be mistyped into another.</summary>
    public const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int GeneratedLength = 10; // 31^10 ≈ 8·10^14: collisions in 100,000 codes are rare, and retried

    public async Task<PromoCampaignView> CreateAsync(PromoCampaignInput input, string actor, CancellationToken ct)
    {
        var campaign = Validate(input, out var sharedCode);
        var now = clock.GetUtcNow().UtcDateTime;
        campaign.CreatedAtUtc = now;
        campaign.CreatedBy = actor;
        using var turn = await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (sharedCode is not null && await db.PromoCodes.AnyAsync(p => p.Code == sharedCode, ct))
            throw new PromoValidationException([new("code", ServiceMessages.Format(CodeExists, sharedCode))]);
        var codes = sharedCode is not null ? [sharedCode] : await GenerateAsync(db, campaign.CodeCount, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.PromoCampaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false; // 100,000 new rows: nothing to compare
        db.PromoCodes.AddRange(codes.Select(code => new PromoCode
        {
            Code = code, Description = campaign.Name, PromoCampaignId = campaign.Id, IssuedAtUtc = now, MaxUses = campaign.UsesPerCode,
            DiscountPercent = campaign.DiscountPercent, DiscountMinor = campaign.DiscountMinor,
            ValidFromUtc = campaign.ValidFromUtc, ValidUntilUtc = campaign.ValidToUtc,
        }));
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.PromoCampaignCreated, Details = AuditText.Format(AuditText.PromoCodesMade, campaign.Id, campaign.Name, codes.Count) });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(campaign.Id, ct))!;
    }

    private static PromoCampaign Validate(PromoCampaignInput input, out string? sharedCode)
    {
        var errors = new List<FieldError>();
        sharedCode = null;
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors.Add(new("name", PromoNeedsName));
        var kind = PromoCampaignKind.Shared;
        if (input.Kind is not { } k || !Enum.TryParse(k, ignoreCase: true, out kind) || int.TryParse(k, out _))
            errors.Add(new("kind", PromoKinds));
        var count = 1;
        if (kind == PromoCampaignKind.Shared)
        {
            var code = PromoCode.Normalize(input.Code ?? "");
            if (code.Length is < 3 or > 64 || !code.All(char.IsAsciiLetterOrDigit) && !code.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
                errors.Add(new("code", SharedCode));
            else sharedCode = code;
        }
        else if (input.Count is not { } n || n < 1 || n > PromoCampaign.MaxCodes)
            errors.Add(new("count", ServiceMessages.Format(UniqueCount, PromoCampaign.MaxCodes.ToString("N0"))));
        else count = n;

        var offers = new[] { input.DiscountPercent is not null, input.DiscountAmount is not null, input.BonusPoints is not null }.Count(x => x);
        if (offers != 1) errors.Add(new("discountPercent", OneOffer));
        int? percent = null;
        long? amount = null, points = null;
        if (input.DiscountPercent is { } p)
        {
            if (p <= 0 || p > 100 || decimal.Truncate(p) != p) errors.Add(new("discountPercent", DiscountPercent));
            else percent = (int)p;
        }
        if (input.DiscountAmount is { } a)
        {
            if (a <= 0 || !Money.TryFromMajor(a, out var m)) errors.Add(new("discountAmount", DiscountAmount));
            else amount = m.Minor;
        }
        if (input.BonusPoints is { } b)
        {
            if (b <= 0 || !Money.TryFromMajor(b, out var m)) errors.Add(new("bonusPoints", BonusPoints));
            else points = m.Minor;
        }
        if (input.ValidFrom is { } from && input.ValidTo is { } to && to <= from) errors.Add(new("validTo", ValidToAfterFrom));
        if (input.UsesPerCode is < 1) errors.Add(new("usesPerCode", UsesPerCode));
        if (input.UsesPerCustomer is < 1) errors.Add(new("usesPerCustomer", UsesPerCustomer));
        var channels = new List<Channel>();
        foreach (var (ch, i) in (input.Channels ?? []).Select((c, i) => (c, i)))
        {
            if (ChannelNames.TryParseClient(ch, out var channel)) channels.Add(channel);
            else errors.Add(new($"channels[{i}]", ServiceMessages.Format(UnknownChannel, ch)));
        }
        if (errors.Count > 0) throw new PromoValidationException(errors);
        return new PromoCampaign
        {
            Name = name!, Kind = kind, CodeCount = count, DiscountPercent = percent, DiscountMinor = amount, BonusPointsMinor = points,
            ValidFromUtc = input.ValidFrom?.UtcDateTime, ValidToUtc = input.ValidTo?.UtcDateTime,
            UsesPerCode = input.UsesPerCode ?? (kind == PromoCampaignKind.Unique ? 1 : null), UsesPerCustomer = input.UsesPerCustomer,
            Channels = channels.Distinct().ToList(),
        };
    }

    /// <summary>Codes unique among themselves and in the installation (checked against the database, collisions redrawn).</summary>
    private static async Task<List<string>> GenerateAsync(OmniConsoleDbContext db, int count, CancellationToken ct)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < count)
        {
            var fresh = new List<string>();
            while (codes.Count + fresh.Count < count)
            {
                var code = RandomNumberGenerator.GetString(Alphabet, GeneratedLength);
                if (!codes.Contains(code)) fresh.Add(code);
            }
            foreach (var chunk in fresh.Distinct().Chunk(500))
            {
                var taken = (await db.PromoCodes.Where(p => chunk.Contains(p.Code)).Select(p => p.Code).ToListAsync(ct)).ToHashSet();
                codes.UnionWith(chunk.Where(c => !taken.Contains(c)));
            }
        }
        return codes.ToList();
    }

    public async Task<List<PromoCampaignView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.PromoCampaigns.OrderByDescending(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        var list = new List<PromoCampaignView>();
        foreach (var id in ids) list.Add((await ViewAsync(db, id, ct))!);
        return list;
    }

    public async Task<PromoCampaignView?> GetAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ViewAsync(db, id, ct);
    }

    private static async Task<PromoCampaignView?> ViewAsync(OmniConsoleDbContext db, int id, CancellationToken ct)
    {
        var c = await db.PromoCampaigns.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return null;
        var codes = db.PromoCodes.Where(p => p.PromoCampaignId == id);
        var issued = await codes.CountAsync(p => p.CustomerId != null, ct);
        var used = await codes.SumAsync(p => (int?)p.UsedCount, ct) ?? 0;
        var revenue = await db.PromoCodeRedemptions.Where(r => r.PromoCode!.PromoCampaignId == id && r.Order != null)
            .SumAsync(r => (long?)r.Order!.TotalMinor, ct) ?? 0;
        var shared = c.Kind == PromoCampaignKind.Shared ? await codes.Select(p => p.Code).FirstOrDefaultAsync(ct) : null;
        return new PromoCampaignView(c.Id, c.Name, c.Kind.ToString().ToLowerInvariant(), shared, c.CodeCount, c.DiscountPercent, c.DiscountMinor / 100m,
            c.BonusPointsMinor / 100m, c.ValidFromUtc, c.ValidToUtc, c.UsesPerCode, c.UsesPerCustomer, c.Channels.Select(ch => ch.ApiName()).ToList(),
            issued, used, revenue / 100m, c.CreatedAtUtc, c.CreatedBy);
    }

    /// <summary>A page of the campaign's codes by id; <paramref name="after"/> is the previous page's last id. Null when there is no such campaign.</summary>
    public async Task<(List<PromoCodeRow> Items, long? Next)?> CodesAsync(int id, long? after, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.PromoCampaigns.AnyAsync(c => c.Id == id, ct)) return null;
        var rows = await db.PromoCodes.AsNoTracking().Where(p => p.PromoCampaignId == id && p.Id > (after ?? 0)).OrderBy(p => p.Id).Take(limit + 1)
            .Select(p => new PromoCodeRow(p.Id, p.Code, p.UsedCount, p.CustomerId)).ToListAsync(ct);
        return (rows.Take(limit).ToList(), rows.Count > limit ? rows[limit - 1].Id : null);
    }

    /// <summary>
    /// Hands a code to a customer: a unique campaign's next free code (or the unused one they already hold), tied to them;
    /// a shared campaign's code. Null when the campaign or the customer is unknown.
    /// </summary>
    public async Task<string?> IssueAsync(int id, long customerId, string actor, CancellationToken ct)
    {
        using var turn = await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.PromoCampaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null || !await db.Customers.AnyAsync(c => c.Id == customerId && c.MergedIntoId == null, ct)) return null;
        string code;
        if (campaign.Kind == PromoCampaignKind.Shared)
            code = await db.PromoCodes.Where(p => p.PromoCampaignId == id).OrderBy(p => p.Id).Select(p => p.Code).FirstAsync(ct);
        else
        {
            var held = await db.PromoCodes.Where(p => p.PromoCampaignId == id && p.CustomerId == customerId && (p.MaxUses == null || p.UsedCount < p.MaxUses))
                .OrderBy(p => p.Id).Select(p => p.Code).FirstOrDefaultAsync(ct);
            if (held is not null) return held;
            var free = await db.PromoCodes.Where(p => p.PromoCampaignId == id && p.CustomerId == null && p.UsedCount == 0).OrderBy(p => p.Id).FirstOrDefaultAsync(ct)
                ?? throw new PromoCodesExhaustedException(ServiceMessages.Format(CodesHandedOut, campaign.CodeCount.ToString("N0"), campaign.Name));
            free.CustomerId = customerId;
            code = free.Code;
        }
        db.AuditEntries.Add(new AuditEntry { AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = AuditAction.PromoCodeIssued, CustomerId = customerId, Details = AuditText.Format(AuditText.PromoCodeIssued, id, campaign.Name, code) });
        await db.SaveChangesAsync(ct);
        notifier.Publish([customerId]); // an open card shows the code at once
        return code;
    }

    public async Task<long?> FindCustomerAsync(CustomerData customer, string source, CancellationToken ct)
    {
        if (customer.FirstIdentifier(source) is not { } query) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await lookup.FindAsync(db, query, ct);
    }

    /// <summary>All codes of a campaign in id order, for the Excel list.</summary>
    public async IAsyncEnumerable<PromoCodeRow> AllCodesAsync(int id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long? after = null;
        while (await CodesAsync(id, after, 5_000, ct) is { } page)
        {
            foreach (var row in page.Items) yield return row;
            if (page.Next is null) yield break;
            after = page.Next;
        }
    }
}
