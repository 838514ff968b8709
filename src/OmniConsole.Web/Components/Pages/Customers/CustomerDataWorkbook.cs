using System.Globalization;
using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Staff;
using OmniConsole.Core.Timeline;
using OmniConsole.Web.Components.Shared;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Pages.Customers;

/// <summary>
/// Everything stored about one customer, for a request from that customer: profile, identifiers, consents,
/// orders, the bonus ledger and the timeline, as Excel with typed cells. Administrators only; audited with the customer.
/// </summary>
public static class CustomerDataWorkbook
{
    public static string Link(long customerId) => $"/customers/{customerId}/data.xlsx";

    public static void MapDownload(IEndpointRouteBuilder app) =>
        app.MapGet("/customers/{customerId:long}/data.xlsx", async (long customerId, ClaimsPrincipal user, CustomerDataRequests requests,
            DisplayFormat format, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            // Read, and audited as this administrator's export, in one call.
            if (await requests.ReadAsync(customerId, user.StaffName(), ct) is not { } data) return Results.NotFound();
            var c = data.Customer;
            using var workbook = new XLWorkbook();

            // Headers and the app's own values in the reader's language; what the customer or a channel gave stays as given.
            var profile = SmallWorkbook.Sheet(workbook, L["Profile"]);
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
            SmallWorkbook.Table(workbook, L["Identifiers"], [L["Kind"], L["Value"], L["Source"], L["Added"]],
                c.Identifiers.OrderBy(i => i.AddedAtUtc).Select(i => new object?[] { L[$"identifier.{i.Kind}"].Value, i.Value, i.Source, format.Local(i.AddedAtUtc) }));
            SmallWorkbook.Table(workbook, L["Consents"], [L["Channel"], L["Granted"], L["Changed"]],
                c.Consents.OrderBy(x => x.Channel).Select(x => new object?[] { L[x.Channel.ApiName()].Value, L[x.Granted ? "yes" : "no"].Value, format.Local(x.ChangedAtUtc) }));
            SmallWorkbook.Table(workbook, L["Orders"], [L["Order"], L["Status"], L["Channel"], L["When"], L["Total"], L["Paid with points"], L["Refunded"], L["Promo code"]],
                data.Orders.Select(o => new object?[] { o.OrderNumber, L[$"order.{o.Status}"].Value, L[o.Channel.ApiName()].Value, format.Local(o.OccurredAtUtc), o.TotalMinor / 100m, o.BonusRedeemedMinor / 100m, o.RefundedMinor / 100m, o.PromoCode }));
            SmallWorkbook.Table(workbook, L["Bonus ledger"], [L["When"], L["What"], L["Points"], L["Note"]],
                data.Ledger.Select(e => new object?[] { format.Local(e.AtUtc), LedgerText.Kind(e.Kind, L), e.AmountMinor / 100m, LedgerText.Note(e.Kind, e.Note, L) }));
            SmallWorkbook.Table(workbook, L["Timeline"], [L["When"], L["Type"], L["Channel"], L["What"]],
                data.Events.Select(e => new object?[] { format.Local(e.OccurredAtUtc), L[e.Type.ApiName()].Value, L[e.Channel.ApiName()].Value,
                    TimelineText.Summary(e.Type, e.Channel, e.Payload, CultureInfo.CurrentCulture, t => L[t]) }));

            return SmallWorkbook.Download(workbook, $"customer-{customerId}.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Admin }).ExcludeFromDescription();
}
