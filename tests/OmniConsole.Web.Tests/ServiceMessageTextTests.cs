using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Campaigns;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>What the Core services answer when they refuse something reads in the user's language in the UI, with its values.</summary>
public sealed class ServiceMessageTextTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    /// <summary>The words a placeholder like <c>{1:campaign-}</c> can hold, by its vocabulary (the resource key's prefix).</summary>
    private static readonly Dictionary<string, IEnumerable<string>> Vocabularies = new()
    {
        ["campaign-"] = Enum.GetValues<CampaignStatus>().Select(CampaignService.StatusName),
        ["rule-"] = Enum.GetValues<EarningRuleStatus>().Select(EarningRuleService.StatusName),
        ["rule-kind-"] = Enum.GetValues<EarningRuleKind>().Select(k => k.ToString().ToLowerInvariant()),
        ["group-"] = ["all", "any"],
        ["qualifier-"] = SegmentAttributes.AllQualifiers.Except([SegmentAttributes.WithinDays, SegmentAttributes.Channel, SegmentAttributes.Type]),
    };

    /// <summary>
    /// The resources the messages need, every template and every word of a vocabulary: <see cref="LocalizationTests"/> fails
    /// when one has no English or Russian resource, or a Russian one lacks a placeholder of its template.
    /// </summary>
    public static IEnumerable<string> ResourceKeys() =>
        ServiceMessages.Templates.Concat(Vocabularies.SelectMany(v => v.Value.Select(word => v.Key + word)));

    [Fact]
    public void EveryVocabularyATemplateUsesIsKnown()
    {
        var used = ServiceMessages.Templates.SelectMany(ServiceMessages.Slots).Select(s => s.Vocabulary).OfType<string>().Distinct();
        Assert.All(used, prefix => Assert.Contains(prefix, Vocabularies.Keys));
    }

    private static IStringLocalizer Localizer() =>
        new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<SharedResource>>();

    private static T In<T>(string culture, Func<T> read)
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { return read(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous; }
    }

    [Fact]
    public void AValidationErrorReadsInRussianWithTheWrongValueAndInEnglishAsTheApiSaysIt()
    {
        var input = new CampaignInput { Name = "Welcome", SegmentId = 1, Steps = [new CampaignStep { Channel = "sms", Text = "Hi" }, new CampaignStep { Wait = "3 days" }] };
        var error = CampaignDefinition.Validate(input, new MessagingOptions { Sms = { Provider = "Sandbox" } }, out _, out _).Single();
        var L = Localizer();

        Assert.Equal("steps[1].wait", error.Field);
        Assert.Equal("«3 days» — не длительность ISO 8601 от минуты до года, например PT24H или P3D.", In("ru-RU", () => L.Message(error.Message)));
        Assert.Equal("'3 days' is not an ISO 8601 duration between a minute and a year, such as PT24H or P3D.", In("en-US", () => L.Message(error.Message)));
    }

    [Fact]
    public void WordsOfTheMessagesReadInRussianToo()
    {
        var L = Localizer();
        Assert.Equal("Кампания cmp-1 в статусе «идёт»: запустить её нельзя.",
            In("ru-RU", () => L.Message(ServiceMessages.Format(CampaignMessages.CannotLaunch, "cmp-1", CampaignService.StatusName(CampaignStatus.Running)))));
        Assert.Equal("Правило в статусе «завершено» нельзя перевести в статус «действует».",
            In("ru-RU", () => L.Message(ServiceMessages.Format(LoyaltyMessages.RuleTransition, "ended", "active"))));
        Assert.Equal("Пустая группа «Любое из» не допускается: добавьте хотя бы одно условие.",
            In("ru-RU", () => L.Message(SegmentDefinition.Parse("""{"all":[{"any":[]}]}""").Errors.Single().Message)));
        Assert.Equal("Выберите одну из ролей: Administrator, Marketer.",
            In("ru-RU", () => L.Message(ServiceMessages.Format(StaffMessages.PickRole, "Administrator, Marketer"))));
        Assert.Equal("Campaign cmp-1 is running; it cannot be launched.",
            In("en-US", () => L.Message(ServiceMessages.Format(CampaignMessages.CannotLaunch, "cmp-1", "running"))));
    }

    [Fact]
    public async Task TheCampaignEditorShowsItsErrorsInRussian()
    {
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CampaignService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<SegmentService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<PromoCampaignService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CampaignPreview>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Campaigns.Delivery.TrackingLinks>());
        ctx.AddAuthorization().SetAuthorized("marketer@omniconsole.demo").SetRoles(Roles.Marketer);
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");
        try
        {
            ctx.Render<MudBlazor.MudPopoverProvider>();

            // A new campaign with no name or audience, and a wait moved before the send it looks at.
            var cut = CampaignEditorTests.RenderNew(ctx);
            cut.WaitForElement("[data-testid=campaign-add-wait]").Click();
            cut.WaitForElement("[data-testid=campaign-step-1] button[aria-label='Выше']").Click(); // the step renders after the editor's async re-check
            cut.Find("[data-testid=campaign-save]").Click();

            cut.WaitForAssertion(() =>
            {
                var errors = cut.Find("[data-testid=campaign-errors]").TextContent;
                Assert.Contains("Название: Укажите название кампании.", errors);
                Assert.Contains("Аудитория: Выберите аудиторию — сегмент.", errors);
            }, TimeSpan.FromSeconds(10));
            Assert.Contains("«Открыл» и «перешёл по ссылке» проверяются по шагу с отправкой прямо перед ожиданием.",
                cut.Find("[data-testid=campaign-step-0]").TextContent);
            Assert.DoesNotContain("A campaign needs a name.", cut.Markup);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }
}
