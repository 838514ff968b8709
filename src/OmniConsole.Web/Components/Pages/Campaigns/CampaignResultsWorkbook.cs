using System.Security.Claims;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Pages.Campaigns;

/// <summary>
/// A campaign's results as an .xlsx in the reader's language: which campaign and when above the figures (a file read weeks
/// later must say what it is), steps, waits, then channels, with typed number and date cells. A few rows: built in memory.
/// </summary>
public static class CampaignResultsWorkbook
{
    private const string Route = "/campaigns/{campaignId}/results.xlsx";

    public static string Link(string campaignId) => $"/campaigns/{Uri.EscapeDataString(campaignId)}/results.xlsx";

    public const int HeaderRow = 8;

    /// <param name="view">the campaign's definition (audience, start, texts); null for one sent by a provider</param>
    public static void Write(CampaignResults.Results r, CampaignService.View? view, IReadOnlyDictionary<int, string> segmentNames, Stream output,
        IStringLocalizer<SharedResource> L, DisplayFormat format, DateTime nowUtc)
    {
        object Date(DateTime? utc) => utc is { } at ? format.Local(at) : "—";
        using var book = new XLWorkbook();
        var steps = SmallWorkbook.Sheet(book, L["Steps"].Value);
        steps.Cell(1, 1).Value = r.Name;
        steps.Cell(1, 1).Style.Font.Bold = true;
        steps.Cell(1, 1).Style.Font.FontSize = 14;
        SmallWorkbook.Row(steps, 2, L["Status"].Value, L[StatusKey(r.Status)].Value);
        SmallWorkbook.Row(steps, 3, L["Launched"].Value, Date(r.LaunchedAtUtc), L["Finished at"].Value, Date(r.FinishedAtUtc));
        if (view is not null)
        {
            SmallWorkbook.Row(steps, 4, L["Audience"].Value, CampaignFlowText.Audience(view, segmentNames, L));
            SmallWorkbook.Row(steps, 5, L["Start"].Value, CampaignFlowText.Start(view.Trigger, L, segmentNames));
        }
        SmallWorkbook.Row(steps, 6, L["Exported at"].Value, Date(nowUtc));
        SmallWorkbook.Row(steps, HeaderRow, L["Step"].Value, L["What"].Value, L["Text"].Value, L["Reached the step"].Value, L["Skipped"].Value, L["No consent"].Value,
            L["No identifier"].Value, L["Over the cap"].Value, L["No promo code left"].Value, L["Sent"].Value, L["Delivered"].Value, L["Opened"].Value, L["Clicked"].Value,
            L["Unsubscribes"].Value, L["Failed"].Value, L["In the wait now"].Value, L["Left by reacting"].Value, L["Stopped here with the campaign"].Value);
        var row = HeaderRow + 1;
        foreach (var flow in CampaignFlowText.Rows(r, view))
        {
            if (flow.Send is { } s)
            {
                var what = L[s.Channel.ApiName()].Value + (flow.Definition?.FallbackChannel is { } fallback ? $" ({L["else"]} {L[fallback]})" : "");
                var text = flow.Definition is { } d ? (d.Subject is { Length: > 0 } subject ? subject : d.Text ?? "") : "";
                SmallWorkbook.Row(steps, row++, s.Step + 1, what, text, s.Eligible, s.Skipped, s.SkippedNoConsent, s.SkippedNoIdentifier, s.SkippedCapped,
                    s.SkippedNoCodeLeft, s.Sent, s.Delivered, s.Opened, s.Clicked, s.Unsubscribed, s.Failed);
            }
            else if (flow.Wait is { } w)
                SmallWorkbook.Row(steps, row++, w.Step + 1, CampaignFlowText.Wait(w.Wait, w.Unless, L), null, null, null, null, null, null, null, null, null, null, null, null, null,
                    w.Waiting, w.Left, w.Stopped);
        }
        SmallWorkbook.Row(steps, row + 1, L["Audience"].Value, r.Audience);
        SmallWorkbook.Row(steps, row + 2, L["Bought within the attribution window"].Value, r.Converted);
        SmallWorkbook.Row(steps, row + 3, L["Revenue"].Value, r.Revenue.Major);
        SmallWorkbook.Row(steps, row + 4, L["Cost"].Value, r.Cost.Major);
        steps.Range(row + 3, 2, row + 4, 2).Style.NumberFormat.Format = "#,##0.00";

        var channels = SmallWorkbook.Sheet(book, L["Channels"].Value);
        SmallWorkbook.Row(channels, 1, L["Channel"].Value, L["Sent"].Value, L["Delivered"].Value, L["Opened"].Value, L["Clicked"].Value, L["Bought"].Value,
            L["Revenue"].Value, L["Cost"].Value, L["Revenue per rouble"].Value);
        row = 2;
        foreach (var c in r.Channels)
        {
            SmallWorkbook.Row(channels, row, L[c.Channel.ApiName()].Value, c.Sent, c.Delivered, c.Opened, c.Clicked, c.Converted, c.Revenue.Major, c.Cost.Major);
            if (c.RevenuePerRouble is { } perRouble) channels.Cell(row, 9).Value = perRouble;
            row++;
        }
        steps.Row(HeaderRow).Style.Font.Bold = true;
        channels.Row(1).Style.Font.Bold = true;
        var sheets = new List<IXLWorksheet> { steps, channels };
        if (r.Experiment is not null || r.Steps.Any(s => s.Variants is not null)) sheets.Add(WriteExperiment(book, r, view, L));
        foreach (var sheet in sheets)
        {
            sheet.Column(1).Width = 28;
            for (var col = 2; col <= 17; col++) sheet.Column(col).Width = 14;
        }
        if (sheets.Count > 2) sheets[2].Column(3).Width = 50;
        steps.Column(2).Width = 30;
        steps.Column(3).Width = 50;
        book.SaveAs(output);
    }

    /// <summary>Treated against control, the uplift and its verdict, then each variant's figures: what the results page shows.</summary>
    private static IXLWorksheet WriteExperiment(XLWorkbook book, CampaignResults.Results r, CampaignService.View? view, IStringLocalizer<SharedResource> L)
    {
        var sheet = SmallWorkbook.Sheet(book, L["Experiment"].Value);
        var row = 1;
        if (r.Experiment is { } x)
        {
            SmallWorkbook.Row(sheet, row, "", L["Customers"].Value, L["Bought within the attribution window"].Value, L["Conversion, %"].Value, L["Revenue"].Value, L["Revenue per customer"].Value);
            sheet.Row(row++).Style.Font.Bold = true;
            foreach (var (label, side) in new[] { (L["Treated"].Value, x.Treated), (L["Control group"].Value, x.Control) })
                SmallWorkbook.Row(sheet, row++, label, side.Customers, side.Converted, Math.Round((decimal)side.Rate * 100, 2), side.Revenue.Major,
                    side.Customers > 0 ? Math.Round(side.Revenue.Major / side.Customers, 2) : null);
            row++;
            if (x.Uplift is { } u)
            {
                SmallWorkbook.Row(sheet, row, L["Uplift"].Value, L["Points"].Value, L["95 % interval, from"].Value, L["95 % interval, to"].Value, L["Revenue per customer"].Value);
                sheet.Row(row++).Style.Font.Bold = true;
                SmallWorkbook.Row(sheet, row++, "", u.ConversionPoints, u.Low, u.High, u.RevenuePerCustomer.Major);
            }
            SmallWorkbook.Row(sheet, row++, ExperimentText.Verdict(x, L));
            row++;
        }
        SmallWorkbook.Row(sheet, row, L["Step"].Value, L["Variant"].Value, L["Text"].Value, L["Sent"].Value, L["Delivered"].Value, L["Opened"].Value, L["Clicked"].Value,
            L["Bought"].Value, L["Revenue"].Value);
        sheet.Row(row++).Style.Font.Bold = true;
        foreach (var step in r.Steps.Where(s => s.Variants is not null))
            foreach (var v in step.Variants!)
                SmallWorkbook.Row(sheet, row++, step.Step + 1, VariantModel.Letter(v.Variant), ExperimentText.Content(view?.Steps.ElementAtOrDefault(step.Step), v.Variant),
                    v.Sent, v.Delivered, v.Opened, v.Clicked, v.Converted, v.Revenue.Major);
        return sheet;
    }

    /// <summary>The resource key of a status's name, as the status chip shows it ("campaign-running").</summary>
    private static string StatusKey(CampaignStatus status) => "campaign-" + CampaignService.StatusName(status);


    /// <summary>Staff with the reports roles download a campaign's results; audited like other exports.</summary>
    public static void MapDownload(IEndpointRouteBuilder app) =>
        app.MapGet(Route, async (string campaignId, ClaimsPrincipal user, CampaignResults results, AuditLog audit, IStringLocalizer<SharedResource> L,
            DisplayFormat format, TimeProvider clock, CampaignService campaigns, Core.Segments.SegmentService segments, CancellationToken ct) =>
        {
            if (await results.GetAsync(campaignId, ct) is not { } r) return Results.NotFound();
            var view = await campaigns.GetAsync(campaignId, ct);
            var segmentNames = (await segments.ListAsync(includeArchived: true, ct)).ToDictionary(s => s.Id, s => s.Name);
            var file = new MemoryStream();
            var now = clock.GetUtcNow().UtcDateTime;
            Write(r, view is { Steps.Count: > 0 } ? view : null, segmentNames, file, L, format, now);
            file.Position = 0;
            await audit.RecordAsync(user.StaffName(), AuditAction.Exported, null, AuditText.Format(AuditText.CampaignResultsExported, r.Name, r.CampaignId), ct);
            return Results.File(file, SmallWorkbook.ContentType, $"campaign-{FileNames.Slug(r.Name, "results")}-{format.Local(now):yyyy-MM-dd}.xlsx");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Reports }).ExcludeFromDescription();
}
