using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Components.Pages.Campaigns;

/// <summary>A campaign's results as an .xlsx in the reader's language: steps, then channels, with typed number cells. A few rows: built in memory.</summary>
public static class CampaignResultsWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string Route = "/campaigns/{campaignId}/results.xlsx";

    public static string Link(string campaignId) => $"/campaigns/{Uri.EscapeDataString(campaignId)}/results.xlsx";

    public static void Write(CampaignResults.Results r, Stream output, IStringLocalizer<SharedResource> L)
    {
        using var book = new XLWorkbook();
        var steps = book.Worksheets.Add(L["Steps"].Value);
        Row(steps, 1, L["Step"].Value, L["Channel"].Value, L["Reached the step"].Value, L["Skipped"].Value, L["No consent"].Value, L["No identifier"].Value,
            L["Over the cap"].Value, L["Sent"].Value, L["Delivered"].Value, L["Opened"].Value, L["Clicked"].Value, L["Unsubscribes"].Value, L["Failed"].Value);
        var row = 2;
        foreach (var s in r.Steps)
            Row(steps, row++, s.Step + 1, L[s.Channel.ApiName()].Value, s.Eligible, s.Skipped, s.SkippedNoConsent, s.SkippedNoIdentifier, s.SkippedCapped,
                s.Sent, s.Delivered, s.Opened, s.Clicked, s.Unsubscribed, s.Failed);
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
        foreach (var sheet in new[] { steps, channels })
        {
            sheet.Row(1).Style.Font.Bold = true;
            sheet.Column(1).Width = 28;
            for (var col = 2; col <= 13; col++) sheet.Column(col).Width = 14;
        }
        book.SaveAs(output);
    }

    private static void Row(IXLWorksheet sheet, int row, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
            sheet.Cell(row, i + 1).Value = values[i]; // numbers stay numbers: typed cells
    }

    /// <summary>Staff with the reports roles download a campaign's results; audited like other exports.</summary>
    public static void MapDownload(WebApplication app) =>
        app.MapGet(Route, async (string campaignId, ClaimsPrincipal user, CampaignResults results, AuditLog audit, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            if (await results.GetAsync(campaignId, ct) is not { } r) return Results.NotFound();
            var file = new MemoryStream();
            Write(r, file, L);
            file.Position = 0;
            await audit.RecordAsync(user.Identity?.Name ?? "unknown", AuditAction.Exported, null, $"Campaign results: {r.Name} ({r.CampaignId})", ct);
            return Results.File(file, ContentType, $"campaign-{r.CampaignId}.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Reports }).ExcludeFromDescription();
}
