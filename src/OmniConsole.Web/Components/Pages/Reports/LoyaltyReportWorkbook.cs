using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using OmniConsole.Core;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Pages.Reports;

/// <summary>
/// The loyalty report as an .xlsx in the reader's language: a summary sheet (liability), then by month, by channel and the
/// top rules. Cells are typed: points are numbers, months and times are dates. ClosedXML holds a workbook in memory until
/// it saves, which is fine here: the report is a few dozen rows whatever the size of the base (segment exports stream instead).
/// </summary>
public static class LoyaltyReportWorkbook
{
    private const string PointsFormat = "#,##0.00";

    public static void Write(LoyaltyReport.Report report, Stream output, IStringLocalizer<SharedResource> L, DisplayFormat format, string timeZone)
    {
        using var book = new XLWorkbook();

        var summary = SmallWorkbook.Sheet(book, L["Summary"].Value);
        SmallWorkbook.Row(summary, 1, L["Loyalty report"].Value);
        SmallWorkbook.Row(summary, 2, L["Made at"].Value, format.Local(report.AtUtc)).Cell(2).Style.NumberFormat.Format = "yyyy-mm-dd hh:mm";
        SmallWorkbook.Row(summary, 3, L["Time zone"].Value, timeZone);
        SmallWorkbook.Row(summary, 4, L["Active points outstanding"].Value, report.Active.Major).Cell(2).Style.NumberFormat.Format = PointsFormat;
        SmallWorkbook.Row(summary, 5, L["Pending points outstanding"].Value, report.Pending.Major).Cell(2).Style.NumberFormat.Format = PointsFormat;
        SmallWorkbook.Row(summary, 6, L["Liability (active + pending)"].Value, (report.Active + report.Pending).Major).Cell(2).Style.NumberFormat.Format = PointsFormat;
        SmallWorkbook.Row(summary, 7, L["Months from"].Value, report.FirstMonth.ToDateTime(TimeOnly.MinValue)).Cell(2).Style.NumberFormat.Format = "yyyy-mm";
        summary.Row(1).Style.Font.Bold = true;
        summary.Column(1).Width = 34;
        summary.Column(2).Width = 22;

        var months = SmallWorkbook.Sheet(book, L["By month"].Value);
        Movements(months, L["Month"].Value, report.ByMonth.Select(m => ((object)m.Month.ToDateTime(TimeOnly.MinValue), m.Movement)), L);
        months.Column(1).Style.NumberFormat.Format = "yyyy-mm";
        months.Cell(1, 1).Style.NumberFormat.Format = "@";

        var channels = SmallWorkbook.Sheet(book, L["By channel"].Value);
        Movements(channels, L["Channel"].Value, report.ByChannel.Select(c => ((object)ChannelName(c.Channel, L), c.Movement)), L);

        var rules = SmallWorkbook.Sheet(book, L["Top earning rules"].Value);
        SmallWorkbook.Row(rules, 1, L["Earning rule"].Value, L["Accrued"].Value);
        var r = 2;
        foreach (var rule in report.TopRules) SmallWorkbook.Row(rules, r++, rule.Name, rule.Accrued.Major);
        Header(rules, 2, 50);

        book.SaveAs(output);
    }

    public const string DownloadPath = "/reports/loyalty.xlsx";

    /// <summary>Staff with the reports roles download the report made now; the download is audited like other exports.</summary>
    public static void MapDownload(IEndpointRouteBuilder app) =>
        app.MapGet(DownloadPath, async (ClaimsPrincipal user, LoyaltyReport reports, AuditLog audit, IStringLocalizer<SharedResource> L, DisplayFormat format,
            IOptions<OmniConsoleOptions> options, CancellationToken ct) =>
        {
            var report = await reports.BuildAsync(ct);
            var file = new MemoryStream();
            Write(report, file, L, format, options.Value.DisplayTimeZone);
            file.Position = 0;
            await audit.RecordAsync(user.StaffName(), AuditAction.Exported, null, AuditText.LoyaltyReportExported, ct);
            return Results.File(file, SmallWorkbook.ContentType, $"loyalty-report-{format.Local(report.AtUtc):yyyy-MM-dd}.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Reports }).ExcludeFromDescription();

    public static string ChannelName(Channel? channel, IStringLocalizer<SharedResource> L) =>
        channel is { } c ? L[c.ApiName()].Value : L["No order (system)"].Value;

    private static void Movements(IXLWorksheet sheet, string first, IEnumerable<(object Key, LoyaltyReport.Movement Movement)> rows, IStringLocalizer<SharedResource> L)
    {
        SmallWorkbook.Row(sheet, 1, first, L["Accrued"].Value, L["Redeemed"].Value, L["Expired"].Value, L["Returns"].Value, L["Adjusted"].Value);
        var r = 2;
        foreach (var (key, m) in rows)
            SmallWorkbook.Row(sheet, r++, key, m.Accrued.Major, m.Redeemed.Major, m.Expired.Major, m.Returns.Major, m.Adjusted.Major);
        Header(sheet, 6, 24);
    }

    /// <summary>Bold frozen header; number columns in points' format; widths set by hand (AdjustToContents needs libgdiplus).</summary>
    private static void Header(IXLWorksheet sheet, int columns, double firstWidth)
    {
        sheet.Row(1).Style.Font.Bold = true;
        sheet.SheetView.FreezeRows(1);
        sheet.Column(1).Width = firstWidth;
        for (var c = 2; c <= columns; c++)
        {
            sheet.Column(c).Width = 18;
            sheet.Column(c).Style.NumberFormat.Format = PointsFormat;
        }
    }

}
