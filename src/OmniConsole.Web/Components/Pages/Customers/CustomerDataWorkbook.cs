using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
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
            AuditLog audit, DisplayFormat format, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var c = await db.Customers.AsNoTracking().Include(x => x.Identifiers).Include(x => x.Consents).SingleOrDefaultAsync(x => x.Id == customerId, ct);
            if (c is null) return Results.NotFound();
            using var workbook = new XLWorkbook();

            var profile = workbook.AddWorksheet(SheetNames.Fit("Profile"));
            var fields = new (string, object?)[]
            {
                ("Customer id", c.Id), ("First name", c.FirstName), ("Last name", c.LastName), ("Birth date", c.BirthDate?.ToDateTime(TimeOnly.MinValue)),
                ("Gender", c.Gender?.ToString()), ("City", c.City), ("Registered", format.Local(c.RegisteredAtUtc)), ("Tier", c.Tier),
                ("Purchases", c.PurchaseCount), ("Lifetime value", c.LifetimeValueMinor / 100m), ("Last purchase", c.LastPurchaseAtUtc is { } lp ? format.Local(lp) : null),
            };
            for (var i = 0; i < fields.Length; i++)
            {
                profile.Cell(i + 1, 1).Value = fields[i].Item1;
                if (fields[i].Item2 is { } v) profile.Cell(i + 1, 2).Value = v;
            }
            Table(workbook, "Identifiers", ["Kind", "Value", "Source", "Added"],
                c.Identifiers.OrderBy(i => i.AddedAtUtc).Select(i => new object?[] { i.Kind.ToString(), i.Value, i.Source, format.Local(i.AddedAtUtc) }));
            Table(workbook, "Consents", ["Channel", "Granted", "Changed"],
                c.Consents.OrderBy(x => x.Channel).Select(x => new object?[] { x.Channel.ApiName(), x.Granted, format.Local(x.ChangedAtUtc) }));
            var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId).OrderBy(o => o.OccurredAtUtc).Take(MaxRows)
                .Select(o => new { o.OrderNumber, o.Status, o.Channel, o.OccurredAtUtc, o.TotalMinor, o.BonusRedeemedMinor, o.RefundedMinor, o.PromoCode }).ToListAsync(ct);
            Table(workbook, "Orders", ["Order", "Status", "Channel", "When", "Total", "Paid with points", "Refunded", "Promo code"],
                orders.Select(o => new object?[] { o.OrderNumber, o.Status.ToString(), o.Channel.ApiName(), format.Local(o.OccurredAtUtc), o.TotalMinor / 100m, o.BonusRedeemedMinor / 100m, o.RefundedMinor / 100m, o.PromoCode }));
            var ledger = await db.BonusLedger.AsNoTracking().Where(e => e.CustomerId == customerId).OrderBy(e => e.AtUtc).ThenBy(e => e.Id).Take(MaxRows)
                .Select(e => new { e.AtUtc, e.Kind, e.AmountMinor, e.Note }).ToListAsync(ct);
            Table(workbook, "Bonus ledger", ["When", "Kind", "Points", "Note"],
                ledger.Select(e => new object?[] { format.Local(e.AtUtc), e.Kind.ToString(), e.AmountMinor / 100m, e.Note }));
            var events = await db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == customerId).OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id).Take(MaxRows)
                .Select(e => new { e.OccurredAtUtc, e.Type, e.Channel, e.Summary }).ToListAsync(ct);
            Table(workbook, "Timeline", ["When", "Type", "Channel", "What"],
                events.Select(e => new object?[] { format.Local(e.OccurredAtUtc), e.Type.ApiName(), e.Channel.ApiName(), e.Summary }));

            var file = new MemoryStream();
            workbook.SaveAs(file);
            file.Position = 0;
            await audit.RecordAsync(user.Identity?.Name ?? "unknown", AuditAction.Exported, customerId, "The customer's data", ct);
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
