using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;
using MudBlazor.Services;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Campaigns;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>The campaign editor as a new user met it: previews that follow every change, errors in words, no draft lost unawares.</summary>
public sealed class CampaignEditorTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    // Generous: the whole suite runs classes in parallel on two cores, and a wait only lasts as long as it must.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private BunitContext NewContext(string culture = "en-US")
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
        // A launched campaign's page shows its results.
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CampaignResults>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Feedback.FeedbackService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagingOptions>>());
        ctx.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new OmniConsole.Core.OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        ctx.AddAuthorization().SetAuthorized("marketer@omniconsole.demo").SetRoles(Roles.Marketer);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    /// <summary>A new campaign's editor once it has loaded (its lists come from the database, asynchronously on a server database).</summary>
    internal static IRenderedComponent<CampaignEditor> RenderNew(BunitContext ctx)
    {
        var cut = ctx.Render<CampaignEditor>();
        cut.WaitForElement("[data-testid=campaign-add-wait]", Wait);
        return cut;
    }

    private static IStringLocalizer Localizer(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var services = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider();
        return services.GetRequiredService<IStringLocalizer<SharedResource>>();
    }

    // MudBlazor puts extra attributes on the input itself or on its wrapper, depending on the field.
    private static IElement Field<T>(IRenderedComponent<T> cut, string id) where T : class, IComponent =>
        cut.FindAll($"input[data-testid={id}], textarea[data-testid={id}]").FirstOrDefault() ?? cut.Find($"[data-testid={id}] input, [data-testid={id}] textarea");

    /// <summary>Picks a value in a select as a click in its list does: through the select's ValueChanged.</summary>
    private static Task PickAsync<TComponent, TValue>(IRenderedComponent<TComponent> cut, string testId, TValue value, int nth = 0) where TComponent : class, IComponent
    {
        var select = cut.FindComponents<MudSelect<TValue>>().Where(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && Equals(id, testId)).ElementAt(nth);
        return cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private async Task<long> CustomerAsync(string firstName, bool smsOnly = false)
    {
        var phone = Ev.NewPhone();
        var at = app.Clock.GetUtcNow().AddMinutes(-10);
        var results = await app.PostAsync(new object[]
        {
            new Dictionary<string, object?>
            {
                ["eventId"] = Ev.NewId(), ["type"] = "profile_updated", ["channel"] = "online", ["occurredAt"] = Ev.At(at),
                ["customer"] = new { phone, email = $"c-{Guid.NewGuid():N}"[..14] + "@example.ru", firstName, lastName = "Тестова" },
            },
            new Dictionary<string, object?>
            {
                ["eventId"] = Ev.NewId(), ["type"] = "consent_changed", ["channel"] = "online", ["occurredAt"] = Ev.At(at.AddMinutes(1)),
                ["customer"] = new { phone }, ["consents"] = new Dictionary<string, bool> { ["email"] = !smsOnly, ["sms"] = true },
            },
        });
        Assert.All(results, r => Assert.Equal("accepted", r.Status));
        return long.Parse(results[0].CustomerId!, CultureInfo.InvariantCulture);
    }

    // ---- 1. The preview follows every change ----

    [Fact]
    public async Task ThePreviewFollowsTheChannelTheFallbackAndTheTextTyped()
    {
        await using var ctx = NewContext();
        var customer = await CustomerAsync("Вера", smsOnly: true);
        var step = new StepModel { Subject = "Hello {{firstName}}", Body = "<p>Mail body</p>", Text = "SMS for {{firstName}}" };
        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, step).Add(x => x.PreviewCustomerId, null));
        cut.WaitForAssertion(() => Assert.Contains("Hello Мария", cut.Find("[data-testid=step-preview]").TextContent), Wait);

        await PickAsync(cut, "step-channel", "sms");
        cut.WaitForAssertion(() =>
        {
            var preview = cut.Find("[data-testid=step-preview]").TextContent;
            Assert.Contains("SMS for Мария", preview);
            Assert.DoesNotContain("Hello", preview);
        }, Wait);

        // Typed and left at once (before the 0.3 s pause): leaving the field previews it.
        Field(cut, "step-text").Input("Changed text");
        Field(cut, "step-text").Blur();
        Assert.Contains("Changed text", cut.Find("[data-testid=step-preview]").TextContent); // at once, not after the pause

        // Back to e-mail for a customer e-mail does not reach: the SMS fallback, once picked, is what the preview shows.
        await PickAsync(cut, "step-channel", "email");
        cut.Render(p => p.Add(x => x.PreviewCustomerId, customer));
        cut.WaitForAssertion(() => Assert.Contains("Not reachable", cut.Find("[data-testid=step-preview]").TextContent), Wait);
        await PickAsync(cut, "step-fallback", "sms");
        cut.WaitForAssertion(() =>
        {
            var preview = cut.Find("[data-testid=step-preview]").TextContent;
            Assert.Contains("Changed text", preview);
            Assert.DoesNotContain("Not reachable", preview);
        }, Wait);
    }

    [Fact]
    public async Task TextTypedIsPreviewedAfterAPause()
    {
        await using var ctx = NewContext();
        var step = new StepModel { Channel = "sms", Text = "First" };
        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, step));
        cut.WaitForAssertion(() => Assert.Contains("First", cut.Find("[data-testid=step-preview]").TextContent), Wait);

        Field(cut, "step-text").Input("Second, {{firstName}}");

        Assert.Equal("Second, {{firstName}}", step.Text); // bound at once: a save right away has it
        cut.WaitForAssertion(() => Assert.Contains("Second, Мария", cut.Find("[data-testid=step-preview]").TextContent), Wait);
    }

    [Fact]
    public async Task AnUnknownPreviewCustomerIsSaidToBeUnknownNotUnreachable()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, new StepModel { Channel = "sms", Text = "Hi {{firstName}}" }).Add(x => x.PreviewCustomerId, 987_654_321L));

        cut.WaitForAssertion(() => Assert.Contains("There is no customer #987654321", cut.Find("[data-testid=step-preview-no-customer]").TextContent), Wait);
        Assert.DoesNotContain("Not reachable", cut.Find("[data-testid=step-preview]").TextContent);
    }

    [Fact]
    public async Task StepsKeepTheirOwnEditorsWhenAStepBeforeThemIsRemoved()
    {
        await using var ctx = NewContext();
        var cut = RenderNew(ctx);
        cut.WaitForElement("[data-testid=campaign-add-send]").Click();
        await PickAsync(cut, "step-channel", "sms", nth: 1);
        Field(cut.FindComponents<StepEditor>()[1], "step-test-address").Input("+79001234567");

        cut.Find("[data-testid=campaign-step-0] button[aria-label='Remove the step']").Click();

        cut.WaitForAssertion(() => Assert.Equal("+79001234567", Field(cut.FindComponents<StepEditor>().Single(), "step-test-address").GetAttribute("value")), Wait);
    }

    // ---- 2. Errors in words, with their step, refreshed ----

    [Fact]
    public void ErrorPathsAreSaidInWordsAndStepsCountFromOne()
    {
        var en = Localizer("en-US");
        Assert.Equal("Step 3 · text: The message needs a text.", CampaignErrorText.Describe(en, new FieldError("steps[2].text", CampaignMessages.NeedsText)));
        Assert.Equal("Name: A campaign needs a name.", CampaignErrorText.Describe(en, new FieldError("name", CampaignMessages.NeedsName)));
        var sms = CampaignErrorText.Describe(en, new FieldError("steps[0].text", ServiceMessages.Format(CampaignMessages.SmsTooLong, 5, 3)));
        Assert.Equal("Step 1 · text: The SMS is longer than 3 parts: it takes 5 parts.", sms);
        var provider = CampaignErrorText.Describe(en, new FieldError("steps[1].channel", ServiceMessages.Format(CampaignMessages.NoProviderFor, "viber", "Viber")));
        Assert.DoesNotContain("OmniConsole:", provider);

        var ru = Localizer("ru-RU");
        var text = CampaignErrorText.Describe(ru, new FieldError("steps[2].text", CampaignMessages.NeedsText));
        Assert.StartsWith("Шаг 3 · текст: ", text);
        Assert.DoesNotContain("The message", text);
        Assert.Equal("Текст SMS длиннее допустимого (2 части): получается 4 части.",
            CampaignErrorText.Message(ru, ServiceMessages.Format(CampaignMessages.SmsTooLong, 4, 2)));
    }

    [Fact]
    public async Task ErrorsShowWithTheirFieldsAndStepAndGoOnceFixed()
    {
        var segment = await app.Services.GetRequiredService<SegmentService>().CreateAsync("editor " + Guid.NewGuid().ToString("N")[..8], null,
            SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Тверь"}"""), "test", default);
        await using var ctx = NewContext();
        var cut = RenderNew(ctx);
        cut.WaitForElement("[data-testid=campaign-add-send]").Click();
        await PickAsync(cut, "step-channel", "sms", nth: 1);
        cut.Find("[data-testid=campaign-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Step 2 · text: The message needs a text.", cut.Find("[data-testid=campaign-errors]").TextContent), Wait);
        var summary = cut.Find("[data-testid=campaign-errors]").TextContent;
        Assert.Contains("Name: A campaign needs a name.", summary);
        Assert.DoesNotContain("steps[", summary);
        // The step's error is on its text field, in that step.
        Assert.Contains("The message needs a text.", cut.Find("[data-testid=campaign-step-1]").TextContent);
        Assert.DoesNotContain("The message needs a text.", cut.Find("[data-testid=campaign-step-0]").TextContent);

        // Fixing a field takes its error away before the next save; the others stay.
        Field(cut, "campaign-name").Input("Editor test");
        cut.WaitForAssertion(() => Assert.DoesNotContain("A campaign needs a name.", cut.Find("[data-testid=campaign-errors]").TextContent), Wait);
        Assert.Contains("The message needs a text.", cut.Find("[data-testid=campaign-errors]").TextContent);

        await PickAsync(cut, "campaign-segment", (int?)segment.Segment.Id);
        Field(cut.FindComponents<StepEditor>()[1], "step-text").Input("Привет, {{firstName}}!");
        Field(cut.FindComponents<StepEditor>()[1], "step-text").Blur();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=campaign-errors]")), Wait);
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("/campaigns/cmp-", ctx.Services.GetRequiredService<NavigationManager>().Uri), Wait);
    }

    [Fact]
    public async Task AnABTestSplitsTheStepIntoVariantsEachWithItsWeightPreviewAndErrorsAndIsSavedWithTheControlGroup()
    {
        var segment = await app.Services.GetRequiredService<SegmentService>().CreateAsync("ab " + Guid.NewGuid().ToString("N")[..8], null,
            SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Тверь"}"""), "test", default);
        await using var ctx = NewContext();
        var cut = RenderNew(ctx);
        Field(cut, "campaign-name").Input("A/B editor test");
        await PickAsync(cut, "campaign-segment", (int?)segment.Segment.Id);
        Field(cut, "campaign-control").Change("10");
        await PickAsync(cut, "step-channel", "sms");
        Field(cut, "step-text").Input("Текст А для {{firstName}}");
        Field(cut, "step-text").Blur();

        // Splitting: the text so far is variant A, and B starts as its copy and is shown.
        cut.Find("[data-testid=step-ab]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid^=step-variant-]").Count(e => e.GetAttribute("data-testid")!.Length == "step-variant-0".Length)), Wait);
        Assert.Equal("Текст А для {{firstName}}", Field(cut, "step-text").GetAttribute("value"));
        // A variant's error is said with the variant, and its button shows it.
        Field(cut, "step-text").Input("");
        Field(cut, "step-text").Blur();
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Step 1 · variant B · text: The message needs a text.", cut.Find("[data-testid=campaign-errors]").TextContent), Wait);
        Assert.Contains("The message needs a text.", cut.Find("[data-testid=campaign-step-0]").TextContent);
        Field(cut, "step-text").Input("Текст Б для {{firstName}}");
        Field(cut, "step-text").Blur();
        cut.WaitForAssertion(() => Assert.Contains("Текст Б для Мария", cut.Find("[data-testid=step-preview]").TextContent), Wait);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=campaign-errors]")), Wait);
        Field(cut, "step-variant-weight").Change("25");
        Assert.Contains("Variant A · 67 %", cut.Find("[data-testid=step-variant-0]").TextContent); // weights 50 and 25
        Assert.Contains("Variant B · 33 %", cut.Find("[data-testid=step-variant-1]").TextContent);

        // Variant A still holds its own text.
        cut.Find("[data-testid=step-variant-0]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Текст А для Мария", cut.Find("[data-testid=step-preview]").TextContent), Wait);
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("/campaigns/cmp-", ctx.Services.GetRequiredService<NavigationManager>().Uri), Wait);

        var id = ctx.Services.GetRequiredService<NavigationManager>().Uri.Split('/')[^1];
        var saved = (await app.Services.GetRequiredService<CampaignService>().GetAsync(id, default))!;
        Assert.Equal(10, saved.ControlGroupPercent);
        var step = saved.Steps.Single();
        Assert.Null(step.Text);
        Assert.Equal([(50, "Текст А для {{firstName}}"), (25, "Текст Б для {{firstName}}")], step.Variants!.Select(v => (v.Weight ?? 0, v.Text!)));

        // Removing a variant down to one ends the test: its text is the step's again.
        var model = StepModel.From(step);
        model.Shown = 0;
        model.RemoveShownVariant();
        Assert.Equal(("Текст Б для {{firstName}}", 0), (model.ToStep().Text, model.Variants.Count));
    }

    [Fact]
    public async Task ASurveyStepIsEditedAndSavedWithItsChannelScaleQuestionAndAfterEventTrigger()
    {
        var segment = await app.Services.GetRequiredService<SegmentService>().CreateAsync("survey " + Guid.NewGuid().ToString("N")[..8], null,
            SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Тверь"}"""), "test", default);
        await using var ctx = NewContext();
        var cut = RenderNew(ctx);
        Field(cut, "campaign-name").Input("Survey editor test");
        await PickAsync(cut, "campaign-segment", (int?)segment.Segment.Id);
        await PickAsync(cut, "campaign-trigger", "afterEvent");
        cut.Find("[data-testid=campaign-step-0] button[aria-label='Remove the step']").Click(); // the send step a new campaign starts with
        cut.Find("[data-testid=campaign-add-survey]").Click();
        cut.WaitForElement("[data-testid=step-survey-question]", Wait);
        await PickAsync(cut, "step-survey-scale", "csat");
        Field(cut, "step-survey-question").Input("Довольны ли вы покупкой?");
        // A text of one's own must carry the link: said on the field, in words.
        Field(cut, "step-survey-text").Input("Оцените покупку");
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("A survey's text must hold its answer link, {{surveyUrl}}.", cut.Find("[data-testid=campaign-step-0]").TextContent), Wait);
        Field(cut, "step-survey-text").Input("Оцените покупку: {{surveyUrl}}");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=campaign-errors]")), Wait);
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("/campaigns/cmp-", ctx.Services.GetRequiredService<NavigationManager>().Uri), Wait);

        var saved = (await app.Services.GetRequiredService<CampaignService>().GetAsync(ctx.Services.GetRequiredService<NavigationManager>().Uri.Split('/')[^1], default))!;
        Assert.Equal(("afterEvent", "purchase", 24), (saved.Trigger!.Kind, saved.Trigger.EventType, saved.Trigger.Hours ?? 0));
        var survey = saved.Steps.Single().Survey!;
        Assert.Equal(("sms", "csat", "Довольны ли вы покупкой?", "Оцените покупку: {{surveyUrl}}"), (survey.Channel, survey.Scale, survey.Question, survey.Text));
    }

    // ---- 3. No draft lost unawares ----

    [Fact]
    public async Task LeavingAChangedDraftAsksFirst()
    {
        await using var ctx = NewContext();
        var dialogs = ctx.Render<MudDialogProvider>();
        var nav = (Bunit.TestDoubles.BunitNavigationManager)ctx.Services.GetRequiredService<NavigationManager>();
        var cut = RenderNew(ctx);
        cut.WaitForElement("[data-testid=campaign-name]");

        // Nothing typed: nothing to lose, no question.
        nav.NavigateTo("/campaigns");
        await NavigationEndsAsync(nav, NavigationState.Succeeded, at: "http://localhost/campaigns");

        Field(cut, "campaign-name").Input("Half-made");
        nav.NavigateTo("/customers");
        dialogs.WaitForAssertion(() => Assert.Contains("Leave without saving?", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Stay").Click();
        await NavigationEndsAsync(nav, NavigationState.Prevented);
        Assert.Equal("Half-made", Field(cut, "campaign-name").GetAttribute("value"));

        // The language switch reloads the page: the browser's own prompt asks (ConfirmExternalNavigation), not a second dialog.
        nav.NavigateTo("/culture/set?culture=ru-RU&redirectUri=%2Fcampaigns%2Fnew", forceLoad: true);
        await NavigationEndsAsync(nav, NavigationState.Succeeded, at: "http://localhost/culture/set?culture=ru-RU&redirectUri=%2Fcampaigns%2Fnew");
        Assert.DoesNotContain("Leave without saving?", dialogs.Markup);

        nav.NavigateTo("/customers");
        dialogs.WaitForAssertion(() => Assert.Contains("Leave without saving?", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Leave").Click();
        await NavigationEndsAsync(nav, NavigationState.Succeeded, at: "http://localhost/customers");
    }

    /// <summary>
    /// Waits for the latest navigation to end as expected. Polled, not on renders: the question is asked by a child
    /// component, so the page under test may not draw itself again once the answer is in.
    /// </summary>
    private static async Task NavigationEndsAsync(Bunit.TestDoubles.BunitNavigationManager nav, NavigationState expected, string? at = null)
    {
        bool Done() => nav.History.FirstOrDefault()?.State == expected && (at is null || nav.Uri == at);
        var until = DateTime.UtcNow + Wait;
        while (!Done() && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.Equal(expected, nav.History.FirstOrDefault()?.State);
        if (at is not null) Assert.Equal(at, nav.Uri);
    }

    // ---- 4. The wait: nothing guessed ----

    [Theory]
    [InlineData("3", "hours", 3L, "hours")]
    [InlineData("3 days", "hours", 3L, "days")]
    [InlineData(" 2 дня ", "hours", 2L, "days")]
    [InlineData("90 min", "days", 90L, "minutes")]
    [InlineData("5ч", "days", 5L, "hours")]
    public void AWaitIsReadWithTheUnitTyped(string text, string unit, long amount, string readUnit) =>
        Assert.Equal((amount, readUnit), StepModel.ReadWait(text, unit));

    [Theory]
    [InlineData("3 weeks")]
    [InlineData("three days")]
    [InlineData("")]
    [InlineData("3.5")]
    public void AWaitThatCannotBeReadIsNotGuessed(string text)
    {
        Assert.Null(StepModel.ReadWait(text, "hours"));
        // It goes as typed, and the service refuses it.
        var step = new StepModel { IsWait = true, WaitText = text, WaitUnit = "hours" }.ToStep();
        Assert.Equal(text, step.Wait);
    }

    [Theory]
    [InlineData("PT90M", "90", "minutes", "PT90M")]
    [InlineData("PT36H", "36", "hours", "PT36H")]
    [InlineData("P3D", "3", "days", "P3D")]
    public void AWaitLoadsAndSavesInItsUnit(string iso, string text, string unit, string saved)
    {
        var model = StepModel.From(new CampaignStep { Wait = iso });
        Assert.Equal((text, unit), (model.WaitText, model.WaitUnit));
        Assert.Equal(saved, model.ToStep().Wait);
    }

    [Fact]
    public async Task AWaitTypedWithItsUnitShowsTheUnitAndAnUnreadableOneAnError()
    {
        await using var ctx = NewContext();
        var step = StepModel.WaitStep();
        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, step));

        Field(cut, "step-wait-amount").Change("3 days");
        cut.WaitForAssertion(() => Assert.Equal(("3", "days"), (step.WaitText, step.WaitUnit)), Wait);
        Assert.Equal("P3D", step.ToStep().Wait);

        Field(cut, "step-wait-amount").Change("3 weeks");
        cut.WaitForAssertion(() => Assert.Contains("A wait is a whole number of minutes, hours or days", cut.Markup), Wait);
    }

    // ---- 5. The SMS counter ----

    [Fact]
    public async Task TheSmsCounterCountsTheTemplateOrWhatThePreviewCustomerGets()
    {
        var customer = await CustomerAsync("Ян");
        await using var ctx = NewContext("ru-RU");
        // As typed, 64 characters of GSM-7 (a brace counts twice); for Ян, 49 characters that need UCS-2.
        var text = "{{firstName}}, " + new string('a', 45);
        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, new StepModel { Channel = "sms", Text = text }));
        cut.WaitForAssertion(() => Assert.Equal("Шаблон SMS, токены не подставлены: 64 символа, 1 часть, GSM-7 (160)", cut.Find("[data-testid=step-sms-length]").TextContent.Trim()), Wait);

        cut.Render(p => p.Add(x => x.PreviewCustomerId, customer));
        cut.WaitForAssertion(() => Assert.Equal("SMS, как его получит Ян Тестова: 49 символов, 1 часть, UCS-2 (70)", cut.Find("[data-testid=step-sms-length]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task TheSmsCounterCountsTheUnsubscribeLinkAtItsRealLength()
    {
        await using var ctx = NewContext("ru-RU");
        var link = app.Services.GetRequiredService<OmniConsole.Core.Campaigns.Delivery.TrackingLinks>().SampleUnsubscribeUrl;
        var text = "Скидка 10 % до воскресенья. Отписка: {{unsubscribeUrl}}";
        var expected = OmniConsole.Core.Campaigns.Delivery.SmsText.Measure(text.Replace("{{unsubscribeUrl}}", link));
        Assert.True(expected.Parts >= 3); // the link alone takes a Cyrillic SMS past two parts; "{{unsubscribeUrl}}" as typed fits in one
        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, new StepModel { Channel = "sms", Text = text }));
        cut.WaitForAssertion(() => Assert.Contains($"{expected.Characters} символ", cut.Find("[data-testid=step-sms-length]").TextContent), Wait);
        Assert.Contains($"{expected.Parts} част", cut.Find("[data-testid=step-sms-length]").TextContent);
    }

    // ---- 6. The test send's address per channel ----

    [Fact]
    public async Task TheTestAddressIsTheStaffEmailOnlyForAnEmail()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, StepModel.Send()));
        cut.WaitForAssertion(() => Assert.Equal("marketer@omniconsole.demo", Field(cut, "step-test-address").GetAttribute("value")), Wait);

        await PickAsync(cut, "step-channel", "sms");
        cut.WaitForAssertion(() => Assert.True(string.IsNullOrEmpty(Field(cut, "step-test-address").GetAttribute("value"))), Wait);
        Assert.Equal("+7 900 123-45-67", Field(cut, "step-test-address").GetAttribute("placeholder"));
        Assert.Contains("a staff phone", cut.Markup);
    }

    // ---- 7. Details of a new user's walkthrough ----

    [Fact]
    public async Task TheNameFieldIsCalledAsTheErrorSummaryCallsIt()
    {
        await using var ctx = NewContext("ru-RU");
        var cut = RenderNew(ctx);
        cut.WaitForElement("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Название: ", cut.Find("[data-testid=campaign-errors]").TextContent), Wait);
        var label = cut.FindAll(".mud-input-control").Single(c => c.QuerySelector("[data-testid=campaign-name]") is not null || c.GetAttribute("data-testid") == "campaign-name")
            .QuerySelector("label")!.TextContent.Trim();
        Assert.Equal("Название", label);
    }

    [Fact]
    public async Task ThePreviewBreaksALongWordAtItsEdge()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, new StepModel { Channel = "sms", Text = "https://shop.example/" + new string('x', 300) }));
        cut.WaitForAssertion(() => Assert.Contains("overflow-wrap: anywhere", cut.Find("[data-testid=step-preview]").GetAttribute("style")), Wait);
    }

    [Fact]
    public async Task ThePreviewCustomerIsFoundByPhoneOrNameAsTheLookupFindsThem()
    {
        var phone = Ev.NewPhone();
        var id = (await app.PostAsync(new[] { Ev.View(new { phone, firstName = "Ефросинья", lastName = "Предпросмотрова" }, app.Clock.GetUtcNow().AddHours(-1)) }))[0].CustomerId;
        await using var ctx = NewContext();
        var cut = RenderNew(ctx);

        Field(cut, "campaign-preview-customer").Input(phone);
        cut.WaitForAssertion(() => Assert.Contains($"Ефросинья Предпросмотрова · #{id}", cut.Markup), Wait);
        Field(cut, "campaign-preview-customer").Input("Предпросмотрова");
        cut.WaitForAssertion(() => Assert.Contains($"· #{id}", cut.Markup), Wait);
        Field(cut, "campaign-preview-customer").Input("Никтотакой Нигде");
        cut.WaitForAssertion(() => Assert.Contains("No customer found for “Никтотакой Нигде”.", cut.Markup), Wait);
    }

    [Theory]
    [InlineData("#-1")]
    [InlineData("0")]
    public async Task APreviewCustomerNumberBelowOneIsSaidToBeNone(string typed)
    {
        await using var ctx = NewContext();
        var cut = RenderNew(ctx);
        Field(cut, "campaign-preview-customer").Input(typed);
        cut.WaitForAssertion(() => Assert.Contains("A customer # is a whole number from 1.", cut.Markup), Wait);
        // The steps preview the sample customer meanwhile, without a word about a customer #-1.
        Assert.Empty(cut.FindAll("[data-testid=step-preview-no-customer]"));
    }

    [Fact]
    public async Task TheLaunchQuestionSaysHowManyCustomersEnter()
    {
        var (a, b) = ("Город-" + Guid.NewGuid().ToString("N")[..8], "Город-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var city in new[] { a, a, b })
        {
            var results = await app.PostAsync(new object[]
            {
                new Dictionary<string, object?>
                {
                    ["eventId"] = Ev.NewId(), ["type"] = "profile_updated", ["channel"] = "online", ["occurredAt"] = Ev.At(app.Clock.GetUtcNow().AddMinutes(-5)),
                    ["customer"] = new { phone = Ev.NewPhone(), firstName = "Лена", city },
                },
            });
            Assert.Equal("accepted", results.Single().Status);
        }
        var segments = app.Services.GetRequiredService<SegmentService>();
        var both = await segments.CreateAsync("both " + a, null, SegmentService.ParseOrThrow($$"""{"attr":"city","op":"in","value":["{{a}}","{{b}}"]}"""), "test", default);
        var second = await segments.CreateAsync("second " + b, null, SegmentService.ParseOrThrow($$"""{"attr":"city","op":"eq","value":"{{b}}"}"""), "test", default);
        var campaigns = app.Services.GetRequiredService<CampaignService>();
        CampaignInput Input(CampaignTrigger? trigger) => new()
        {
            Name = "Launch count", SegmentId = both.Segment.Id, ExcludeSegmentIds = [second.Segment.Id], Trigger = trigger,
            Steps = [new CampaignStep { Channel = "sms", Text = "Привет" }],
        };
        var atLaunch = await campaigns.CreateAsync(Input(null), "test", default);
        var triggered = await campaigns.CreateAsync(Input(new CampaignTrigger { Kind = "birthday" }), "test", default);

        await using var ctx = NewContext("ru-RU");
        var dialogs = ctx.Render<MudDialogProvider>();
        var cut = ctx.Render<CampaignEditor>(p => p.Add(x => x.Id, atLaunch.CampaignId));
        cut.WaitForElement("[data-testid=campaign-launch]").Click();
        // Three in the segment, one of them excluded.
        dialogs.WaitForAssertion(() => Assert.Contains("Сейчас в аудитории 2 клиента", dialogs.Markup), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Отмена").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Сейчас в аудитории", dialogs.Markup), Wait);
        Assert.Equal(CampaignStatus.Draft, (await campaigns.GetAsync(atLaunch.CampaignId, default))!.Status);

        var trig = ctx.Render<CampaignEditor>(p => p.Add(x => x.Id, triggered.CampaignId));
        trig.WaitForElement("[data-testid=campaign-launch]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("При запуске ничего не отправляется", dialogs.Markup), Wait);
        Assert.DoesNotContain("Сейчас в аудитории", dialogs.Markup);
    }

    [Fact]
    public async Task AFinishedCampaignsStatusAndButtonsFollowItWithoutAReload()
    {
        var (segmentId, _, _) = await CampaignAudience.CreateAsync(app, app.Clock, 1);
        var campaigns = app.Services.GetRequiredService<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "Finishes while open", SegmentId = segmentId, Steps = [new CampaignStep { Channel = "sms", Text = "Привет" }],
        }, "test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "test", default);
        await using var ctx = NewContext("ru-RU");
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true)); // live: the results poll
        var cut = ctx.Render<CampaignEditor>(p => p.Add(x => x.Id, campaign.CampaignId));
        cut.WaitForElement("[data-testid=campaign-pause]", Wait);

        // The flow and the dispatcher finish it while the page is open.
        for (var i = 0; i < 20 && (await campaigns.GetAsync(campaign.CampaignId, default))!.Status == CampaignStatus.Running; i++)
        {
            await app.Services.GetRequiredService<CampaignFlow>().RunOnceAsync(default);
            await app.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(default);
        }
        Assert.Equal(CampaignStatus.Completed, (await campaigns.GetAsync(campaign.CampaignId, default))!.Status);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("завершена", cut.Find("[data-testid=campaign-status]").TextContent.Trim());
            Assert.Empty(cut.FindAll("[data-testid=campaign-pause]"));
            Assert.Empty(cut.FindAll("[data-testid=campaign-stop]"));
        }, Wait);
    }
}
