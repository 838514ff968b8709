using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Feedback;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Components.Pages.Reports;

/// <summary>The feedback report of /reports as an .xlsx in the reader's language: NPS and CSAT of the last 30 days, by channel and store, and 12 weeks' trend.</summary>
public static class FeedbackWorkbook
{
    public const string DownloadPath = "/reports/feedback.xlsx";

    public static void Write(FeedbackService.Summary summary, IReadOnlyList<FeedbackService.Week> trend, Stream output, IStringLocalizer<SharedResource> L)
    {
        using var book = new XLWorkbook();
        var sheet = book.Worksheets.Add(SheetNames.Fit(L["Feedback"].Value));
        Row(sheet, 1, "", "NPS", L["NPS answers"].Value, L["Promoters"].Value, L["Passives"].Value, L["Detractors"].Value, "CSAT", L["CSAT answers"].Value);
        var row = 2;
        Line(L["Last 30 days"].Value, summary.Nps, summary.Csat);
        foreach (var b in summary.ByChannel) Line(L[b.Key].Value, b.Nps, b.Csat);
        foreach (var b in summary.ByStore) Line(L["Store {0}", b.Key].Value, b.Nps, b.Csat);
        row++;
        Row(sheet, row++, L["Week from"].Value, "NPS", L["NPS answers"].Value, L["Promoters"].Value, L["Passives"].Value, L["Detractors"].Value, "CSAT", L["CSAT answers"].Value);
        foreach (var w in trend) Line(w.From.ToDateTime(TimeOnly.MinValue), w.Nps, w.Csat);
        sheet.Row(1).Style.Font.Bold = true;
        sheet.Column(1).Width = 28;
        book.SaveAs(output);

        void Line(object label, FeedbackService.Nps nps, FeedbackService.Csat csat) =>
            Row(sheet, row++, label, nps.Score, nps.Answers, nps.Promoters, nps.Passives, nps.Detractors, csat.Average, csat.Answers);
    }

    private static void Row(IXLWorksheet sheet, int row, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            switch (values[i])
            {
                case null: break;
                case DateTime at: sheet.Cell(row, i + 1).Value = at; sheet.Cell(row, i + 1).Style.DateFormat.Format = "yyyy-mm-dd"; break;
                case int n: sheet.Cell(row, i + 1).Value = n; break;
                case decimal d: sheet.Cell(row, i + 1).Value = d; break;
                default: sheet.Cell(row, i + 1).Value = values[i]!.ToString(); break;
            }
    }

    /// <summary>Staff with the reports roles download it; audited like other exports.</summary>
    public static void MapDownload(IEndpointRouteBuilder app) =>
        app.MapGet(DownloadPath, async (ClaimsPrincipal user, FeedbackService feedback, AuditLog audit, IStringLocalizer<SharedResource> L, TimeProvider clock, CancellationToken ct) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var summary = await feedback.SummaryAsync(now.AddDays(-30), now.AddSeconds(1), ct);
            var trend = await feedback.TrendAsync(12, ct);
            var file = new MemoryStream();
            Write(summary, trend, file, L);
            file.Position = 0;
            await audit.RecordAsync(user.Identity?.Name ?? "unknown", AuditAction.Exported, null, AuditText.FeedbackReportExported, ct);
            return Results.File(file, Campaigns.CampaignResultsWorkbook.ContentType, $"feedback-{now:yyyy-MM-dd}.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Reports }).ExcludeFromDescription();
}
