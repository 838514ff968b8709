using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Web.Components.Shared;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Components.Pages.Campaigns;

/// <summary>
/// A campaign's results as an .xlsx in the reader's language: which campaign and when above the figures (a file read weeks
/// later must say what it is), steps, waits, then channels, with typed number and date cells. A few rows: built in memory.
/// </summary>
public static class CampaignResultsWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string Route = "/campaigns/{campaignId}/results.xlsx";

    public static string Link(string campaignId) => $"/campaigns/{Uri.EscapeDataString(campaignId)}/results.xlsx";

    public const int HeaderRow = 6;

    public static void Write(CampaignResults.Results r, Stream output, IStringLocalizer<SharedResource> L, DisplayFormat format, DateTime nowUtc)
    {
        object Date(DateTime? utc) => utc is { } at ? format.Local(at) : "—";
        using var book = new XLWorkbook();
        var steps = book.Worksheets.Add(L["Steps"].Value);
        steps.Cell(1, 1).Value = r.Name;
        steps.Cell(1, 1).Style.Font.Bold = true;
        steps.Cell(1, 1).Style.Font.FontSize = 14;
        Row(steps, 2, L["Status"].Value, L[$"campaign-{r.Status.ToString().ToLowerInvariant()}"].Value);
        Row(steps, 3, L["Launched"].Value, Date(r.LaunchedAtUtc), L["Finished at"].Value, Date(r.FinishedAtUtc));
        Row(steps, 4, L["Exported at"].Value, Date(nowUtc));
        Row(steps, HeaderRow, L["Step"].Value, L["Channel"].Value, L["Reached the step"].Value, L["Skipped"].Value, L["No consent"].Value, L["No identifier"].Value,
            L["Over the cap"].Value, L["Sent"].Value, L["Delivered"].Value, L["Opened"].Value, L["Clicked"].Value, L["Unsubscribes"].Value, L["Failed"].Value);
        var row = HeaderRow + 1;
        foreach (var s in r.Steps)
            Row(steps, row++, s.Step + 1, L[s.Channel.ApiName()].Value, s.Eligible, s.Skipped, s.SkippedNoConsent, s.SkippedNoIdentifier, s.SkippedCapped,
                s.Sent, s.Delivered, s.Opened, s.Clicked, s.Unsubscribed, s.Failed);
        foreach (var w in r.Waits)
            Row(steps, row++, w.Step + 1, CampaignFlowText.Wait(w.Wait, w.Unless, L), L["In the wait now"].Value, w.Waiting, L["Left by reacting"].Value, w.Left);
        steps.Cell(row + 1, 1).Value = L["Audience"].Value;
        steps.Cell(row + 1, 2).Value = r.Audience;
        steps.Cell(row + 2, 1).Value = L["Bought within the attribution window"].Value;
        steps.Cell(row + 2, 2).Value = r.Converted;
        steps.Cell(row + 3, 1).Value = L["Revenue"].Value;
        steps.Cell(row + 3, 2).Value = r.Revenue.Major;
        steps.Cell(row + 3, 2).Style.NumberFormat.Format = "#,##0.00";

        var channels = book.Worksheets.Add(L["Channels"].Value);
        Row(channels, 1, L["Channel"].Value, L["Sent"].Value, L["Delivered"].Value, L["Opened"].Value, L["Clicked"].Value, L["Bought"].Value,
            L["Revenue"].Value, L["Cost"].Value, L["Revenue per rouble"].Value);
        row = 2;
        foreach (var c in r.Channels)
        {
            Row(channels, row, L[c.Channel.ApiName()].Value, c.Sent, c.Delivered, c.Opened, c.Clicked, c.Converted, c.Revenue.Major, c.Cost.Major);
            if (c.RevenuePerRouble is { } perRouble) channels.Cell(row, 9).Value = perRouble;
            row++;
        }
        steps.Row(HeaderRow).Style.Font.Bold = true;
        channels.Row(1).Style.Font.Bold = true;
        foreach (var sheet in new[] { steps, channels })
        {
            sheet.Column(1).Width = 28;
            for (var col = 2; col <= 13; col++) sheet.Column(col).Width = 14;
        }
        book.SaveAs(output);
    }

    private static void Row(IXLWorksheet sheet, int row, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var cell = sheet.Cell(row, i + 1);
            switch (values[i]) // numbers and dates stay numbers and dates: typed cells
            {
                case DateTime at: cell.Value = at; cell.Style.DateFormat.Format = "yyyy-mm-dd hh:mm"; break;
                case null: break;
                default: cell.Value = values[i]; break;
            }
        }
    }

    /// <summary>Staff with the reports roles download a campaign's results; audited like other exports.</summary>
    public static void MapDownload(WebApplication app) =>
        app.MapGet(Route, async (string campaignId, ClaimsPrincipal user, CampaignResults results, AuditLog audit, IStringLocalizer<SharedResource> L,
            DisplayFormat format, TimeProvider clock, CancellationToken ct) =>
        {
            if (await results.GetAsync(campaignId, ct) is not { } r) return Results.NotFound();
            var file = new MemoryStream();
            var now = clock.GetUtcNow().UtcDateTime;
            Write(r, file, L, format, now);
            file.Position = 0;
            await audit.RecordAsync(user.Identity?.Name ?? "unknown", AuditAction.Exported, null, AuditText.Format(AuditText.CampaignResultsExported, r.Name, r.CampaignId), ct);
            return Results.File(file, ContentType, $"campaign-{FileNames.Slug(r.Name, "results")}-{format.Local(now):yyyy-MM-dd}.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Reports }).ExcludeFromDescription();
}
