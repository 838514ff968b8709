using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Feedback;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Pages.Reports;

/// <summary>The feedback report of /reports as an .xlsx in the reader's language: NPS and CSAT of the last 30 days, by channel and store, and 12 weeks' trend.</summary>
public static class FeedbackWorkbook
{
    public const string DownloadPath = "/reports/feedback.xlsx";

    public static void Write(FeedbackService.Summary summary, IReadOnlyList<FeedbackService.Week> trend, Stream output, IStringLocalizer<SharedResource> L)
    {
        using var book = new XLWorkbook();
        var sheet = SmallWorkbook.Sheet(book, L["Feedback"].Value);
        SmallWorkbook.Row(sheet, 1, "", "NPS", L["NPS answers"].Value, L["Promoters"].Value, L["Passives"].Value, L["Detractors"].Value, "CSAT", L["CSAT answers"].Value);
        var row = 2;
        Line(L["Last 30 days"].Value, summary.Nps, summary.Csat);
        foreach (var b in summary.ByChannel) Line(L[b.Key].Value, b.Nps, b.Csat);
        foreach (var b in summary.ByStore) Line(L["Store {0}", b.Key].Value, b.Nps, b.Csat);
        row++;
        SmallWorkbook.Row(sheet, row++, L["Week from"].Value, "NPS", L["NPS answers"].Value, L["Promoters"].Value, L["Passives"].Value, L["Detractors"].Value, "CSAT", L["CSAT answers"].Value);
        foreach (var w in trend) Line(w.From.ToDateTime(TimeOnly.MinValue), w.Nps, w.Csat);
        sheet.Row(1).Style.Font.Bold = true;
        sheet.Column(1).Width = 28;
        book.SaveAs(output);

        void Line(object label, FeedbackService.Nps nps, FeedbackService.Csat csat) =>
            SmallWorkbook.Row(sheet, row++, label, nps.Score, nps.Answers, nps.Promoters, nps.Passives, nps.Detractors, csat.Average, csat.Answers);
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
            await audit.RecordAsync(user.StaffName(), AuditAction.Exported, null, AuditText.FeedbackReportExported, ct);
            return Results.File(file, SmallWorkbook.ContentType, $"feedback-{now:yyyy-MM-dd}.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Reports }).ExcludeFromDescription();
}
