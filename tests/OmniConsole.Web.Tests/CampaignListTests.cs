using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>The campaign list says what each campaign sends through.</summary>
public sealed class CampaignListTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Fact]
    public async Task TheListShowsEveryChannelOfTheFlow()
    {
        var segment = await app.Services.GetRequiredService<SegmentService>().CreateAsync("list " + Guid.NewGuid().ToString("N")[..8], null,
            SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Тула"}"""), "test", default);
        var name = "Cascade " + Guid.NewGuid().ToString("N")[..8];
        await app.Services.GetRequiredService<CampaignService>().CreateAsync(new CampaignInput
        {
            Name = name, SegmentId = segment.Segment.Id,
            Steps =
            [
                new CampaignStep { Channel = "email", Subject = "Hi", Body = "<p>Hi</p>" }, new CampaignStep { Wait = "PT24H", Unless = "opened" },
                new CampaignStep { Channel = "sms", Text = "Hi" }, new CampaignStep { Channel = "email", Subject = "Again", Body = "<p>Again</p>" },
            ],
        }, "test", default);
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CampaignService>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        ctx.AddAuthorization().SetAuthorized("marketer@omniconsole.demo").SetRoles(Roles.Marketer);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("en-US");

        var cut = ctx.Render<OmniConsole.Web.Components.Pages.Campaigns.Campaigns>();

        // The e-mail, then the SMS; the second e-mail is the same channel again.
        cut.WaitForAssertion(() => Assert.Equal("Email → SMS",
            cut.FindAll("[data-testid=campaign-table] tbody tr").Single(r => r.TextContent.Contains(name)).QuerySelector("[data-testid=campaign-channels]")!.TextContent.Trim()),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheDashboardShowsEveryChannelOfTheFlowAsTheListDoes()
    {
        var segment = await app.Services.GetRequiredService<SegmentService>().CreateAsync("widget " + Guid.NewGuid().ToString("N")[..8], null,
            SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Тула"}"""), "test", default);
        var created = await app.Services.GetRequiredService<CampaignService>().CreateAsync(new CampaignInput
        {
            Name = "Widget cascade", SegmentId = segment.Segment.Id,
            Steps = [new CampaignStep { Channel = "email", Subject = "Hi", Body = "<p>Hi</p>" }, new CampaignStep { Wait = "PT24H" }, new CampaignStep { Channel = "sms", Text = "Hi" }],
        }, "test", default);
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Dashboard.DashboardFigures>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Campaigns.Delivery.ChannelBreakers>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("en-US");

        var cut = ctx.Render<OmniConsole.Web.Components.Pages.Dashboard.CampaignsWidget>();

        cut.WaitForAssertion(() => Assert.Equal("Email → SMS",
            cut.Find($"tr[data-campaign={created.CampaignId}] [data-testid=dashboard-campaign-channels]").TextContent.Trim()), TimeSpan.FromSeconds(10));
    }
}
