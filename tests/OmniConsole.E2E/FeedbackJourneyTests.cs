using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>
/// Feedback as its users meet it: a customer answers the demo's survey on a phone-sized page (the sandbox sent nothing,
/// so a marketer opens a recipient's answer page from the results), the detractor's follow-up reaches the consultant's
/// queue with the customer's card beside it, and the consultant closes it with a note.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackJourneyTests(AppServer app)
{
    [Fact]
    public async Task ACustomerAnswersOnAPhoneAndTheConsultantClosesTheFollowUpWithANote()
    {
        var marketer = await app.SignInAsync("marketer@omniconsole.demo", width: 1440);
        await AppServer.GotoInteractiveAsync(marketer, "/campaigns");
        await marketer.GetByTestId("campaign-table").GetByText("Как вам у нас? NPS по e-mail").ClickAsync();
        var link = await marketer.GetByTestId("campaign-survey-sandbox").GetAttributeAsync("href");
        Assert.NotNull(link);
        await marketer.Context.CloseAsync();

        // The customer's phone: no sign-in, big buttons, Russian (the installation's language).
        var phone = await (await app.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true })).NewPageAsync();
        var comment = "Долго ждал на кассе (e2e " + Guid.NewGuid().ToString("N")[..6] + ")";
        await phone.GotoAsync(app.BaseUrl + new Uri(link!).PathAndQuery); // the public base URL is the demo's, the path the same
        await Assertions.Expect(phone.GetByTestId("survey-question")).ToContainTextAsync("Порекомендуете нас друзьям?");
        await phone.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "survey-phone.png"), FullPage = true });
        await phone.GetByTestId("survey-score-3").ClickAsync(); // the label: the score as a button
        await phone.GetByTestId("survey-comment").FillAsync(comment);
        await phone.GetByTestId("survey-submit").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("survey-thanks")).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "survey-phone-thanks.png"), FullPage = true });
        await phone.Context.CloseAsync();

        var consultant = await app.SignInAsync("consultant@omniconsole.demo", width: 1440, culture: "ru-RU");
        await AppServer.GotoInteractiveAsync(consultant, "/feedback");
        var item = consultant.GetByTestId("feedback-item").Filter(new() { HasText = comment });
        await item.ClickAsync();
        var detail = consultant.GetByTestId("feedback-detail");
        await Assertions.Expect(detail).ToContainTextAsync(comment);
        await Assertions.Expect(consultant.GetByTestId("customer-name")).ToBeVisibleAsync(); // the card beside it
        await consultant.GetByTestId("feedback-take").ClickAsync();
        await consultant.Locator("textarea[data-testid=feedback-note], [data-testid=feedback-note] textarea").First.FillAsync("Позвонила, извинилась, открыли вторую кассу");
        await consultant.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "feedback-queue-ru.png"), FullPage = true });
        await consultant.GetByTestId("feedback-close").ClickAsync();
        await Assertions.Expect(consultant.GetByTestId("feedback-closed-note")).ToContainTextAsync("открыли вторую кассу");

        // The demo's showcase complaint is there, followed up: Alexey Ivanov's, closed by the consultant with what was done.
        await consultant.GetByTestId("feedback-status").GetByText("Закрытые").ClickAsync();
        await consultant.GetByTestId("feedback-item").Filter(new() { HasText = "Курьер опоздал" }).ClickAsync();
        await Assertions.Expect(consultant.GetByTestId("customer-name")).ToContainTextAsync("Алексей Иванов");
        await Assertions.Expect(consultant.GetByTestId("feedback-closed-note")).ToContainTextAsync("начислили 500 бонусов");
        await consultant.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "feedback-showcase-closed-ru.png") });
        await consultant.Context.CloseAsync();
    }
}
