using System.Globalization;
using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;

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
            var sheet = workbook.AddWorksheet(SheetNames.Fit(L["Audit log"]));
            string[] headers = [L["When"], L["Who"], L["What"], L["Customer #"], L["Customer"], L["Details"]];
            for (var i = 0; i < headers.Length; i++) sheet.Cell(1, i + 1).Value = headers[i];
            sheet.Row(1).Style.Font.Bold = true;
            var row = 2;
            foreach (var r in page.Rows)
            {
                sheet.Cell(row, 1).Value = format.Local(r.AtUtc);
                sheet.Cell(row, 1).Style.DateFormat.Format = "yyyy-mm-dd hh:mm:ss";
                sheet.Cell(row, 2).Value = r.Actor;
                sheet.Cell(row, 3).Value = L[r.Action.ToString()].Value;
                if (r.CustomerId is { } id) sheet.Cell(row, 4).Value = id;
                sheet.Cell(row, 5).Value = r.CustomerName;
                sheet.Cell(row, 6).Value = AuditDetails.Show(r.Details, r.Action, L);
                row++;
            }
            if (page.More) sheet.Cell(row, 1).Value = string.Format(CultureInfo.CurrentCulture, L["The first {0} entries; more match, narrow the filters for the rest."], MaxRows);
            sheet.Column(1).Width = 20;
            sheet.Column(2).Width = 28;
            sheet.Column(3).Width = 26;
            sheet.Column(6).Width = 80;
            sheet.SheetView.FreezeRows(1);
            var file = new MemoryStream();
            workbook.SaveAs(file);
            file.Position = 0;
            await log.RecordAsync(user.Identity?.Name ?? "unknown", AuditAction.Exported, null, AuditText.Format(AuditText.AuditLogExported, page.Rows.Count), ct);
            return Results.File(file, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "audit-log.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Admin }).ExcludeFromDescription();
}
