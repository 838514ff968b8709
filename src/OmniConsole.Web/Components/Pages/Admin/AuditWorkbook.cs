using System.Globalization;
using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Pages.Admin;

/// <summary>The audit log as filtered on /admin/audit, to Excel (typed cells: times as dates, customer ids as numbers); itself audited.</summary>
public static class AuditWorkbook
{
    public const string DownloadPath = "/admin/audit.xlsx";
    public const int MaxRows = 100_000;

    public static string Link(AuditLog.Filter f) =>
        DownloadPath + "?" + string.Join("&", new[]
        {
            f.Actor is { Length: > 0 } a ? $"actor={Uri.EscapeDataString(a)}" : null,
            f.Action is { } action ? $"action={action}" : null,
            f.CustomerId is { } c ? $"customer={c}" : null,
            f.FromUtc is { } from ? $"from={from:yyyy-MM-ddTHH:mm:ssZ}" : null,
            f.ToUtc is { } to ? $"to={to:yyyy-MM-ddTHH:mm:ssZ}" : null,
        }.OfType<string>());

    public static void MapDownload(IEndpointRouteBuilder app) =>
        app.MapGet(DownloadPath, async (string? actor, AuditAction? action, long? customer, DateTime? from, DateTime? to, ClaimsPrincipal user,
            AuditLog log, IStringLocalizer<SharedResource> L, DisplayFormat format, CancellationToken ct) =>
        {
            var filter = new AuditLog.Filter(actor, action, customer, from?.ToUniversalTime(), to?.ToUniversalTime());
            var page = await log.ReadAsync(filter, 0, MaxRows, ct, countLimit: MaxRows);
            using var workbook = new XLWorkbook();
            var sheet = SmallWorkbook.Table(workbook, L["Audit log"], [L["When"], L["Who"], L["What"], L["Customer #"], L["Customer"], L["Details"]],
                page.Rows.Select(r => new object?[] { format.Local(r.AtUtc), r.Actor, L[r.Action.ToString()].Value, r.CustomerId, r.CustomerName, AuditDetails.Show(r.Details, r.Action, L) }));
            sheet.Column(1).Style.DateFormat.Format = "yyyy-mm-dd hh:mm:ss";
            if (page.More) sheet.Cell(page.Rows.Count + 2, 1).Value = string.Format(CultureInfo.CurrentCulture, L["The first {0} entries; more match, narrow the filters for the rest."], MaxRows);
            sheet.Column(1).Width = 20;
            sheet.Column(2).Width = 28;
            sheet.Column(3).Width = 26;
            sheet.Column(6).Width = 80;
            await log.RecordAsync(user.StaffName(), AuditAction.Exported, null, AuditText.Format(AuditText.AuditLogExported, page.Rows.Count), ct);
            return SmallWorkbook.Download(workbook, "audit-log.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Admin }).ExcludeFromDescription();
}
