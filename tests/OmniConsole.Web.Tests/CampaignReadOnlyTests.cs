using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Campaigns;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>A manager reads campaigns, drafts included, and creates none.</summary>
public sealed class CampaignReadOnlyTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private BunitContext NewContext(string role, string culture = "ru-RU")
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CampaignService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<SegmentService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<PromoCampaignService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CampaignPreview>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Campaigns.Delivery.TrackingLinks>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        ctx.AddAuthorization().SetAuthorized($"{role.ToLowerInvariant()}@omniconsole.demo").SetRoles(role);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    private async Task<SegmentService.Details> SegmentAsync(string name) =>
        await app.Services.GetRequiredService<SegmentService>().CreateAsync(name + " " + Guid.NewGuid().ToString("N")[..8], null,
            SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Тверь"}"""), "test", default);

    [Fact]
    public async Task AManagerReadsADraftsAudienceStartAndSteps()
    {
        var audience = await SegmentAsync("Тверь");
        var excluded = await SegmentAsync("Сотрудники");
        var draft = await app.Services.GetRequiredService<CampaignService>().CreateAsync(new CampaignInput
        {
            Name = "Брошенная корзина", SegmentId = audience.Segment.Id, ExcludeSegmentIds = [excluded.Segment.Id],
            Trigger = new CampaignTrigger { Kind = "cartAbandoned", Hours = 3 },
            Steps =
            [
                new CampaignStep { Channel = "email", Subject = "Вы кое-что забыли", Body = "<p>Корзина ждёт</p>", Text = "Корзина ждёт: https://shop.example/cart", FallbackChannel = "sms" },
                new CampaignStep { Wait = "P1D", Unless = "purchased" },
                new CampaignStep { Channel = "viber", Text = "Последний шанс, {{firstName}}" },
            ],
        }, "marketer@omniconsole.demo", default);

        await using var ctx = NewContext(Roles.Manager);
        var cut = ctx.Render<CampaignEditor>(p => p.Add(x => x.Id, draft.CampaignId));
        cut.WaitForElement("[data-testid=campaign-draft]", Wait);

        Assert.Contains("Черновик; редактируют и запускают кампании маркетологи и администраторы.", cut.Markup);
        var audienceText = cut.Find("[data-testid=campaign-draft-audience]").TextContent;
        Assert.Contains(audience.Segment.Name, audienceText);
        Assert.Contains(excluded.Segment.Name, audienceText);
        Assert.Contains("3", cut.Find("[data-testid=campaign-draft-start]").TextContent);
        Assert.DoesNotContain("При запуске", cut.Find("[data-testid=campaign-draft-start]").TextContent);
        var send = cut.Find("[data-testid=campaign-draft-step-0]").TextContent;
        Assert.Contains("Вы кое-что забыли", send);
        Assert.Contains("Корзина ждёт: https://shop.example/cart", send);
        Assert.Contains("SMS", send);
        Assert.Contains("Ждать 1 день", cut.Find("[data-testid=campaign-draft-step-1]").TextContent);
        Assert.Contains("Последний шанс, {{firstName}}", cut.Find("[data-testid=campaign-draft-step-2]").TextContent);
        // Numbered as the editor numbers them (each its own number, not the loop's last).
        Assert.Equal(["1.", "2.", "3."], Enumerable.Range(0, 3).Select(i => cut.Find($"[data-testid=campaign-draft-step-{i}] b").TextContent.Trim()));
        // Nothing to edit or launch.
        Assert.Empty(cut.FindAll("[data-testid=campaign-editor]"));
        Assert.Empty(cut.FindAll("[data-testid=campaign-launch]"));
    }

    [Fact]
    public async Task AManagerCreatesNoCampaign()
    {
        await using var ctx = NewContext(Roles.Manager);
        var cut = ctx.Render<CampaignEditor>();
        cut.WaitForElement("[data-testid=campaign-create-refused]", Wait);
        Assert.Contains("Кампании создают только маркетологи и администраторы.", cut.Markup);
        Assert.DoesNotContain("Черновик;", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=campaign-editor]"));

        var list = ctx.Render<Campaigns>();
        list.WaitForElement("[data-testid=campaign-table]", Wait);
        Assert.Empty(list.FindAll("[data-testid=campaign-new]"));
    }

    [Fact]
    public async Task AMarketerSeesTheNewCampaignButton()
    {
        await using var ctx = NewContext(Roles.Marketer);
        var list = ctx.Render<Campaigns>();
        list.WaitForElement("[data-testid=campaign-new]", Wait);
    }
}
