using System.Globalization;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Exports;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Customers;

public enum ErasureOutcome { Done, ReasonRequired, ReasonTooLong, NotFound, AlreadyErased }

/// <summary>
/// Erases a customer's personal data on their request (an administrator's action): name, birth date, gender, city,
/// phones, e-mails, cards, external ids and consents go, and so do the free texts of their timeline (call notes,
/// reviews, merge names), the addresses their messages went to, staff notes on their points, the personal data in
/// audit entries about them (the entries stay: who did what, when, to which customer) and every finished export that
/// could list them. Orders, amounts, points and the timeline's items stay, so revenue, liability and segment counts
/// do not change; the customer is then "#id, erased". Rows merged into this customer are erased too. The customer's
/// identifiers are freed: a later event with the same phone makes a new customer, not this one. On SQLite the freed
/// space is overwritten and the write-ahead log emptied, so no copy lingers in the files either.
/// </summary>
public sealed class CustomerErasure(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock, CustomerChangeNotifier notifier,
    ExportService exports, AuditLog audit, ILogger<CustomerErasure> log)
{
    public const int MaxReasonLength = 300;

    public async Task<ErasureOutcome> EraseAsync(long customerId, string? reason, string actor, CancellationToken ct)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return ErasureOutcome.ReasonRequired;
        if (reason.Length > MaxReasonLength) return ErasureOutcome.ReasonTooLong;

        // The last second's searches and API reads are in the audit log (and out of the journal's file) first.
        await audit.FlushAsync(ct);
        // Audit entries anywhere that quote the customer (a search typed their phone) are found before taking the writers'
        // turn: on a large log that read is a scan, and ingestion need not wait for it. Entries written meanwhile are
        // looked at again inside.
        PersonalData? found;
        List<long> quoting;
        long lastSeen;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            found = await PersonalData.ReadAsync(db, customerId, ct);
            if (found is null) return ErasureOutcome.NotFound;
            lastSeen = await db.AuditEntries.MaxAsync(a => (long?)a.Id, ct) ?? 0;
            quoting = await QuotingAsync(db, found, 0, ct);
        }

        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId && c.MergedIntoId == null, ct);
            if (customer is null) return ErasureOutcome.NotFound;
            if (customer.ErasedAtUtc is not null) return ErasureOutcome.AlreadyErased;
            found = await PersonalData.ReadAsync(db, customerId, ct) ?? found; // what it is now, inside the writers' turn
            quoting.AddRange(await QuotingAsync(db, found, lastSeen, ct));

            var now = clock.GetUtcNow().UtcDateTime;
            await using var secure = await db.Family().OverwriteFreedSpaceAsync(db, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var merged = await db.Customers.Where(c => c.MergedIntoId == customerId).ToListAsync(ct);
            var ids = found.CustomerIds;
            foreach (var row in merged.Append(customer))
            {
                row.SetName(null, null);
                (row.BirthDate, row.Gender, row.City, row.ErasedAtUtc) = (null, null, null, now);
            }
            await db.CustomerIdentifiers.Where(i => ids.Contains(i.CustomerId)).ExecuteDeleteAsync(ct);
            await db.CustomerConsents.Where(c => ids.Contains(c.CustomerId)).ExecuteDeleteAsync(ct);
            // Where their messages went; the messages themselves (campaign, step, status, times, cost) stay for the results.
            await db.Outbox.Where(m => ids.Contains(m.CustomerId) && m.Address != null).ExecuteUpdateAsync(u => u.SetProperty(m => m.Address, (string?)null), ct);
            // A staff member's reason for an adjustment is free text about the customer; the system's notes name orders only.
            await db.BonusLedger.Where(e => ids.Contains(e.CustomerId) && e.Kind == BonusEntryKind.Adjustment && e.Note != null)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.Note, AuditText.Erased), ct);

            // Any client item may carry a note; staff adjustments carry a reason; a merge names the other row. Rule names
            // on granted points are OmniConsole's own and stay.
            var events = await db.CustomerEvents.Where(e => ids.Contains(e.CustomerId)).ToListAsync(ct);
            foreach (var ev in events.Where(e => (e.Payload.Text is not null && e.Type != EventType.BonusGranted) || e.Payload.Merge?.MergedCustomerName is not null))
            {
                ev.Payload = WithoutFreeText(ev.Payload);
                ev.Summary = TimelineText.Summary(ev.Type, ev.Channel, ev.Payload, CultureInfo.InvariantCulture);
            }

            var entries = await db.AuditEntries.Where(a => (a.CustomerId != null && ids.Contains(a.CustomerId.Value)) || quoting.Contains(a.Id)).ToListAsync(ct);
            foreach (var entry in entries) entry.Details = Scrub(entry, found);
            db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.CustomerErased, CustomerId = customerId, Details = found.Scrub(reason) });
            await ExportService.ExpireMadeBeforeAsync(db, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (!await db.Family().ForgetErasedValuesAsync(db, ct))
                log.LogWarning("Customer {Id} erased; the database's old copies could not be removed now (readers were busy), the next maintenance pass does it", customerId);
        }
        await exports.DeleteExpiredFilesAsync(ct);
        notifier.Publish([customerId]);
        return ErasureOutcome.Done;
    }

    private static readonly Regex Search = new(@"^(lookup|list): .* \((\d+)\)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
    private static readonly Regex Adjusted = new(@"^Points adjusted by ([^:]+): ", RegexOptions.CultureInvariant);

    /// <summary>
    /// An audit entry's details without the customer's personal data: what was searched for them and why their points were
    /// adjusted are free text and go whole; elsewhere their names, phones, e-mails and cards are replaced.
    /// </summary>
    private static string? Scrub(AuditEntry entry, PersonalData found)
    {
        if (entry.Details is not { } details || !found.CustomerIds.Contains(entry.CustomerId ?? 0)) return found.Scrub(entry.Details);
        if (entry.Action == AuditAction.CustomersSearched && Search.Match(details) is { Success: true } search)
            return $"{search.Groups[1].Value}: {AuditText.Erased} ({search.Groups[2].Value})";
        if (entry.Action == AuditAction.BonusAdjusted && Adjusted.Match(details) is { Success: true } adjusted)
            return AuditText.Format(AuditText.BonusAdjusted, adjusted.Groups[1].Value, AuditText.Erased);
        return found.Scrub(details);
    }

    /// <summary>Audit entries after <paramref name="afterId"/> whose details quote one of the customer's identifiers or full names.</summary>
    private static async Task<List<long>> QuotingAsync(OmniConsoleDbContext db, PersonalData found, long afterId, CancellationToken ct)
    {
        var quotes = found.Quotable;
        if (quotes.Count == 0) return [];
        var entry = Expression.Parameter(typeof(AuditEntry), "a");
        var details = Expression.Property(entry, nameof(AuditEntry.Details));
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        var any = quotes.Select(q => (Expression)Expression.Call(details, contains, Expression.Constant(q))).Aggregate(Expression.OrElse);
        var predicate = Expression.Lambda<Func<AuditEntry, bool>>(
            Expression.AndAlso(Expression.NotEqual(details, Expression.Constant(null, typeof(string))), any), entry);
        return await db.AuditEntries.Where(a => a.Id > afterId).Where(predicate).Select(a => a.Id).ToListAsync(ct);
    }

    private static EventPayload WithoutFreeText(EventPayload p) => new()
    {
        Order = p.Order, Product = p.Product, Cart = p.Cart, Message = p.Message, Consents = p.Consents, StoreCode = p.StoreCode, Bonus = p.Bonus,
        Merge = p.Merge is { } m ? m with { MergedCustomerName = null } : null,
        Text = null,
    };

    /// <summary>The customer's (and their merged rows') names and identifiers, as text may quote them.</summary>
    private sealed class PersonalData
    {
        public required List<long> CustomerIds { get; init; }
        /// <summary>Every form to replace in text about them, longest first (a full name before its parts).</summary>
        public required List<string> Forms { get; init; }
        /// <summary>The forms that identify them anywhere — identifiers, full and last names — searched for across the whole log.</summary>
        public required List<string> Quotable { get; init; }

        public static async Task<PersonalData?> ReadAsync(OmniConsoleDbContext db, long customerId, CancellationToken ct)
        {
            var rows = await db.Customers.AsNoTracking().Where(c => (c.Id == customerId && c.MergedIntoId == null) || c.MergedIntoId == customerId)
                .Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(ct);
            if (!rows.Any(r => r.Id == customerId)) return null;
            var ids = rows.Select(r => r.Id).ToList();
            var identifiers = await db.CustomerIdentifiers.AsNoTracking().Where(i => ids.Contains(i.CustomerId)).Select(i => new { i.Kind, i.Value }).ToListAsync(ct);
            var quotable = new List<string>();
            var parts = new List<string>();
            foreach (var r in rows)
            {
                if (r.FirstName is { } f && r.LastName is { } l) quotable.AddRange([$"{f} {l}", $"{l} {f}"]);
                if (r.LastName is { Length: >= 3 } last) quotable.Add(last);
                parts.AddRange(new[] { r.FirstName, r.LastName }.OfType<string>());
            }
            foreach (var i in identifiers)
            {
                quotable.Add(i.Value);
                // A phone is typed in other forms too: without the plus, and Russian numbers with 8 or without the country code.
                if (i.Kind == IdentifierKind.Phone && i.Value.StartsWith('+'))
                {
                    quotable.Add(i.Value[1..]);
                    if (i.Value.StartsWith("+7", StringComparison.Ordinal) && i.Value.Length == 12) quotable.AddRange(["8" + i.Value[2..], i.Value[2..]]);
                }
            }
            quotable = quotable.Where(q => q.Trim().Length >= 3).SelectMany(q => new[] { q, q.ToLowerInvariant() }).Distinct().ToList();
            var forms = quotable.Concat(parts.Where(p => p.Trim().Length >= 2)).Distinct().OrderByDescending(q => q.Length).ToList();
            return new PersonalData { CustomerIds = ids, Forms = forms, Quotable = quotable };
        }

        public string? Scrub(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            foreach (var form in Forms) text = text.Replace(form, AuditText.Erased, StringComparison.OrdinalIgnoreCase);
            return text;
        }
    }
}
