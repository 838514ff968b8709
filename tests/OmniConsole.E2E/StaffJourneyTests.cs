using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>
/// Issue 16's journey: an administrator makes a consultant account; the consultant signs in with the temporary password,
/// must change it, then sees only the lookup and the customer list, with contacts masked but for what they searched by;
/// the audit log shows the account being made, the sign-in, the search and the card view.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StaffJourneyTests(AppServer app)
{
    [Fact]
    public async Task AnAdministratorMakesAConsultantWhoSeesOnlyMaskedContactsAndTheAuditLogShowsIt()
    {
        var email = $"floor.{Guid.NewGuid():N}"[..14] + "@shop.example";

        // The administrator makes the account and reads the temporary password, shown once.
        var admin = await app.SignInAsync("admin@omniconsole.demo");
        await AppServer.GotoInteractiveAsync(admin, "/admin/users");
        await admin.Locator("[data-testid=staff-email] input, input[data-testid=staff-email]").First.FillAsync(email);
        await admin.Locator("[data-testid=staff-name] input, input[data-testid=staff-name]").First.FillAsync("Ирина Смена");
        await admin.GetByTestId("staff-create").ClickAsync(); // the role starts as Consultant
        var temporary = (await admin.GetByTestId("staff-password-plain").InnerTextAsync()).Trim();
        Assert.True(temporary.Length >= 12, temporary);
        await Assertions.Expect(admin.GetByTestId("staff-table")).ToContainTextAsync(email);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "staff-created.png"), FullPage = true });

        // The consultant signs in with it and is sent to change it first.
        var context = await app.NewContextAsync();
        var consultant = await context.NewPageAsync();
        await consultant.GotoAsync("/Account/Login");
        await consultant.Locator("#Input\\.Email").FillAsync(email);
        await consultant.Locator("#Input\\.Password").FillAsync(temporary);
        await consultant.Locator("button.btn-primary[type=submit]").ClickAsync();
        await consultant.WaitForURLAsync("**/Account/Manage/ChangePassword");
        await consultant.Locator("#Input\\.OldPassword").FillAsync(temporary);
        await consultant.Locator("#Input\\.NewPassword").FillAsync("Floor#Shift2026");
        await consultant.Locator("#Input\\.ConfirmPassword").FillAsync("Floor#Shift2026");
        await consultant.Locator("button.btn-primary[type=submit]").ClickAsync();
        await consultant.GetByText("Your password has been changed").WaitForAsync();

        // Now the back-office opens, at the lookup, with nothing but the lookup and the customer list.
        await consultant.GotoAsync("/");
        await consultant.WaitForURLAsync("**/lookup");
        await AppServer.WaitForInteractiveAsync(consultant);
        var menu = await consultant.GetByTestId("nav-menu").Locator("[data-testid^='nav-']").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-testid'))");
        Assert.Equal(["nav-lookup", "nav-customers", "nav-feedback"], menu);
        await consultant.GotoAsync("/segments");
        await consultant.GetByTestId("access-denied").WaitForAsync();

        // Found by phone: the phone in full, the e-mail masked.
        await AppServer.GotoInteractiveAsync(consultant, "/lookup");
        await consultant.Locator("[data-testid=lookup-query] input, input[data-testid=lookup-query]").First.FillAsync("+7 926 555-03-03");
        await consultant.Keyboard.PressAsync("Enter");
        await consultant.GetByTestId("customer-name").WaitForAsync();
        var identifiers = consultant.GetByTestId("customer-identifiers");
        await Assertions.Expect(identifiers).ToContainTextAsync("555-03-03");
        await Assertions.Expect(identifiers).Not.ToContainTextAsync("olga.smirnova@example.ru");
        await consultant.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "consultant-card-masked.png"), FullPage = true });

        // The list shows no contact in full.
        await AppServer.GotoInteractiveAsync(consultant, "/customers");
        await Assertions.Expect(consultant.GetByTestId("customers-grid")).ToContainTextAsync("•");
        await Assertions.Expect(consultant.GetByTestId("customers-grid")).Not.ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"[a-z]{2}[a-z.]*@example\.ru"));
        await Assertions.Expect(consultant.GetByTestId("customers-grid")).Not.ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d{3}-\d{2}-\d{2}"));
        await context.CloseAsync();

        // The administrator reads it all in the audit log.
        await AppServer.GotoInteractiveAsync(admin, "/admin/audit");
        var who = admin.Locator("[data-testid=audit-actor] input, input[data-testid=audit-actor]").First;
        await who.FillAsync(email);
        await who.PressAsync("Tab");
        var grid = admin.GetByTestId("audit-grid");
        await Assertions.Expect(grid).ToContainTextAsync("Signed in");
        await Assertions.Expect(grid).ToContainTextAsync("Customers searched");
        await Assertions.Expect(grid).ToContainTextAsync("Customer card viewed");
        await Assertions.Expect(grid).ToContainTextAsync("Смирнова");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "audit-consultant.png"), FullPage = true });

        await who.FillAsync("admin@omniconsole.demo");
        await who.PressAsync("Tab");
        await Assertions.Expect(grid).ToContainTextAsync(email); // "Staff account created: <email>: Consultant"
        await admin.Context.CloseAsync();
    }
}
