using System.Globalization;
using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Staff;
using OmniConsole.Core.Timeline;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Components.Pages.Customers;

/// <summary>
/// Everything stored about one customer, for a request from that customer (issue 16): profile, identifiers, consents,
/// orders, the bonus ledger and the timeline, as Excel with typed cells. Administrators only; audited with the customer.
/// </summary>
public static class CustomerDataWorkbook
{
    public const int MaxRows = 100_000;

    public static string Link(long customerId) => $"/customers/{customerId}/data.xlsx";

    public static void MapDownload(IEndpointRouteBuilder app) =>
        app.MapGet("/customers/{customerId:long}/data.xlsx", async (long customerId, ClaimsPrincipal user, IDbContextFactory<OmniConsoleDbContext> dbFactory,
            AuditLog audit, DisplayFormat format, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var c = await db.Customers.AsNoTracking().Include(x => x.Identifiers).Include(x => x.Consents).SingleOrDefaultAsync(x => x.Id == customerId, ct);
            if (c is null) return Results.NotFound();
            using var workbook = new XLWorkbook();

            // Headers and the app's own values in the reader's language; what the customer or a channel gave stays as given.
            var profile = workbook.AddWorksheet(SheetNames.Fit(L["Profile"]));
            var fields = new (string, object?)[]
            {
                (L["xlsx.col.Customer id"], c.Id), (L["xlsx.col.First name"], c.FirstName), (L["xlsx.col.Last name"], c.LastName),
                (L["Birth date"], c.BirthDate?.ToDateTime(TimeOnly.MinValue)), (L["xlsx.col.Gender"], c.Gender is { } g ? L[g == Core.Customers.Gender.Female ? "female" : "male"].Value : null),
                (L["xlsx.col.City"], c.City), (L["xlsx.col.Registered"], format.Local(c.RegisteredAtUtc)), (L["xlsx.col.Tier"], L[c.Tier].Value),
                (L["Purchases"], c.PurchaseCount), (L["Lifetime value"], c.LifetimeValueMinor / 100m), (L["Last purchase"], c.LastPurchaseAtUtc is { } lp ? format.Local(lp) : null),
            };
            for (var i = 0; i < fields.Length; i++)
            {
                profile.Cell(i + 1, 1).Value = fields[i].Item1;
                if (fields[i].Item2 is { } v) profile.Cell(i + 1, 2).Value = v;
            }
            Table(workbook, L["Identifiers"], [L["Kind"], L["Value"], L["Source"], L["Added"]],
                c.Identifiers.OrderBy(i => i.AddedAtUtc).Select(i => new object?[] { L[$"identifier.{i.Kind}"].Value, i.Value, i.Source, format.Local(i.AddedAtUtc) }));
            Table(workbook, L["Consents"], [L["Channel"], L["Granted"], L["Changed"]],
                c.Consents.OrderBy(x => x.Channel).Select(x => new object?[] { L[x.Channel.ApiName()].Value, L[x.Granted ? "yes" : "no"].Value, format.Local(x.ChangedAtUtc) }));
            var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId).OrderBy(o => o.OccurredAtUtc).Take(MaxRows)
                .Select(o => new { o.OrderNumber, o.Status, o.Channel, o.OccurredAtUtc, o.TotalMinor, o.BonusRedeemedMinor, o.RefundedMinor, o.PromoCode }).ToListAsync(ct);
            Table(workbook, L["Orders"], [L["Order"], L["Status"], L["Channel"], L["When"], L["Total"], L["Paid with points"], L["Refunded"], L["Promo code"]],
                orders.Select(o => new object?[] { o.OrderNumber, L[$"order.{o.Status}"].Value, L[o.Channel.ApiName()].Value, format.Local(o.OccurredAtUtc), o.TotalMinor / 100m, o.BonusRedeemedMinor / 100m, o.RefundedMinor / 100m, o.PromoCode }));
            var ledger = await db.BonusLedger.AsNoTracking().Where(e => e.CustomerId == customerId).OrderBy(e => e.AtUtc).ThenBy(e => e.Id).Take(MaxRows)
                .Select(e => new { e.AtUtc, e.Kind, e.AmountMinor, e.Note }).ToListAsync(ct);
            Table(workbook, L["Bonus ledger"], [L["When"], L["What"], L["Points"], L["Note"]],
                ledger.Select(e => new object?[] { format.Local(e.AtUtc), LedgerText.Kind(e.Kind, L), e.AmountMinor / 100m, LedgerText.Note(e.Kind, e.Note, L) }));
            var events = await db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == customerId).OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id).Take(MaxRows)
                .Select(e => new { e.OccurredAtUtc, e.Type, e.Channel, e.Payload }).ToListAsync(ct);
            Table(workbook, L["Timeline"], [L["When"], L["Type"], L["Channel"], L["What"]],
                events.Select(e => new object?[] { format.Local(e.OccurredAtUtc), L[e.Type.ApiName()].Value, L[e.Channel.ApiName()].Value,
                    TimelineText.Summary(e.Type, e.Channel, e.Payload, CultureInfo.CurrentCulture, t => L[t]) }));

            var file = new MemoryStream();
            workbook.SaveAs(file);
            file.Position = 0;
            await audit.RecordAsync(user.Identity?.Name ?? "unknown", AuditAction.Exported, customerId, AuditText.CustomerDataExported, ct);
            return Results.File(file, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"customer-{customerId}.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Admin }).ExcludeFromDescription();

    private static void Table(XLWorkbook workbook, string name, string[] headers, IEnumerable<object?[]> rows)
    {
        var sheet = workbook.AddWorksheet(SheetNames.Fit(name));
        for (var i = 0; i < headers.Length; i++) sheet.Cell(1, i + 1).Value = headers[i];
        sheet.Row(1).Style.Font.Bold = true;
        var r = 2;
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                var cell = sheet.Cell(r, i + 1);
                if (row[i] is { } v) cell.Value = v;
                if (row[i] is DateTime) cell.Style.DateFormat.Format = "yyyy-mm-dd hh:mm";
            }
            r++;
        }
        sheet.SheetView.FreezeRows(1);
    }
}
