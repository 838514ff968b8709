using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Campaigns;
using static OmniConsole.Core.Campaigns.CampaignPreview;

namespace OmniConsole.Web.Tests;

/// <summary>A test send goes to a staff account's own e-mail or phone only, and every attempt is in the audit log.</summary>
public sealed class CampaignTestSendTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private static readonly CampaignStep Email = new() { Channel = "email", Subject = "Hi {{firstName}}", Body = "<p>Hi</p>" };

    private async Task<string> StaffAsync(string? phone = null)
    {
        var email = $"staff-{Guid.NewGuid():N}"[..16] + "@company.test";
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True((await users.CreateAsync(new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, PhoneNumber = phone })).Succeeded);
        return email;
    }

    /// <summary>As the account page does: a code to the phone (the sandbox shows it), typed back.</summary>
    private async Task ConfirmPhoneAsync(string email, Func<string, string>? typed = null)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var verification = scope.ServiceProvider.GetRequiredService<StaffPhoneVerification>();
        var user = (await users.FindByEmailAsync(email))!;
        var sent = await verification.SendCodeAsync(user, default);
        Assert.Equal(StaffPhoneVerification.Outcome.Sandbox, sent.Outcome);
        Assert.Equal(typed is null, await verification.ConfirmAsync(user, (typed ?? (c => c))(sent.Code!)));
    }

    private async Task<List<AuditEntry>> AuditOfAsync(string actor)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Actor == actor).OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task AnEmailTestGoesOnlyToAStaffAccountsEmailAndEveryAttemptIsAudited()
    {
        var previews = app.Services.GetRequiredService<CampaignPreview>();
        var staff = await StaffAsync();
        var actor = $"tester-{Guid.NewGuid():N}@company.test";

        var outsider = await previews.TestSendAsync(Email, "someone@gmail.com", null, actor, default);
        Assert.Equal(new TestSendResult(TestSendOutcome.Refused, CampaignMessages.TestStaffEmailOnly), outsider);
        var malformed = await previews.TestSendAsync(Email, "not an address", null, actor, default);
        Assert.Equal(TestSendOutcome.Refused, malformed.Outcome);
        Assert.Equal("'not an address' is not an e-mail address.", malformed.Message);
        // A staff account's e-mail, typed in another case: it passes the check (the test host's sandbox sends nothing).
        var own = await previews.TestSendAsync(Email, "  " + staff.ToUpperInvariant() + " ", null, actor, default);
        Assert.Equal(TestSendOutcome.Sandbox, own.Outcome);

        var audit = await AuditOfAsync(actor);
        Assert.Equal(
        [
            AuditText.Format(AuditText.TestRefused, "email", "someone@gmail.com"),
            AuditText.Format(AuditText.TestRefused, "email", "not an address"),
            AuditText.Format(AuditText.TestSandbox, "email", staff),
        ], audit.Select(a => a.Details));
        Assert.All(audit, a => Assert.Equal(AuditAction.CampaignTestSent, a.Action));
    }

    [Fact]
    public async Task PhoneChannelsGoOnlyToAStaffAccountsPhoneAndPushHasNoTestSends()
    {
        var previews = app.Services.GetRequiredService<CampaignPreview>();
        var staff = await StaffAsync(phone: "8 (916) 555-12-34");
        var actor = $"tester-{Guid.NewGuid():N}@company.test";
        var sms = new CampaignStep { Channel = "sms", Text = "Hi {{firstName}}" };
        // Typed into an account, not yet confirmed by its owner (a wrong code does not confirm it): refused.
        await ConfirmPhoneAsync(staff, typed: code => code == "000000" ? "111111" : "000000");
        Assert.Equal(new TestSendResult(TestSendOutcome.Refused, CampaignMessages.TestStaffPhoneOnly),
            await previews.TestSendAsync(sms, "+7 916 555 1234", null, actor, default));
        await ConfirmPhoneAsync(staff);

        var sandboxed = await previews.TestSendAsync(sms, "+7 916 555 1234", null, actor, default);
        Assert.Equal(TestSendOutcome.Sandbox, sandboxed.Outcome);
        // Nothing is sent in the sandbox, but the message it would have sent is given back to be shown.
        Assert.StartsWith("Hi ", sandboxed.WouldSend!.Body);
        Assert.DoesNotContain("{{", sandboxed.WouldSend.Body);
        Assert.Equal(TestSendOutcome.Sandbox, (await previews.TestSendAsync(sms with { Channel = "telegram" }, "79165551234", null, actor, default)).Outcome);
        Assert.Equal(new TestSendResult(TestSendOutcome.Refused, CampaignMessages.TestStaffPhoneOnly),
            await previews.TestSendAsync(sms with { Channel = "viber" }, "+7 916 000 0000", null, actor, default));
        Assert.Equal(TestSendOutcome.Refused, (await previews.TestSendAsync(sms, "call me", null, actor, default)).Outcome);
        Assert.Equal(new TestSendResult(TestSendOutcome.Refused, CampaignMessages.TestNoPush),
            await previews.TestSendAsync(sms with { Channel = "push" }, "42", null, actor, default));

        var audit = await AuditOfAsync(actor);
        Assert.Equal(
        [
            AuditText.Format(AuditText.TestRefused, "sms", "+7 916 555 1234"),
            AuditText.Format(AuditText.TestSandbox, "sms", "+79165551234"),
            AuditText.Format(AuditText.TestSandbox, "telegram", "+79165551234"),
            AuditText.Format(AuditText.TestRefused, "viber", "+7 916 000 0000"),
            AuditText.Format(AuditText.TestRefused, "sms", "call me"),
            AuditText.Format(AuditText.TestRefused, "push", "42"),
        ], audit.Select(a => a.Details));
    }

    [Fact]
    public async Task AStaffMemberConfirmsTheirPhoneWithACodeOnTheAccountPage()
    {
        var browser = await app.SignedInAsync(Roles.Marketer);
        async Task<string> PageAsync() => await browser.GetStringAsync("/Account/Manage");
        static string Token(string page) => System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        async Task<string> PostAsync(Dictionary<string, string> form)
        {
            var page = await PageAsync();
            form["__RequestVerificationToken"] = Token(page);
            var posted = await browser.PostAsync("/Account/Manage", new FormUrlEncodedContent(form));
            Assert.True(posted.StatusCode is System.Net.HttpStatusCode.Redirect or System.Net.HttpStatusCode.OK, posted.StatusCode.ToString());
            return System.Net.WebUtility.HtmlDecode(await PageAsync());
        }

        await PostAsync(new() { ["_handler"] = "profile", ["Input.PhoneNumber"] = "+7 916 555-77-88" });
        Assert.Contains("Your phone is not confirmed", await PageAsync());
        var sent = await PostAsync(new() { ["_handler"] = "send-phone-code" });
        var code = System.Text.RegularExpressions.Regex.Match(sent, "your code is (\\d+)").Groups[1].Value;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains("the code is wrong", await PostAsync(new() { ["_handler"] = "confirm-phone", ["Code.Value"] = code == "000000" ? "111111" : "000000" }));
        var confirmed = await PostAsync(new() { ["_handler"] = "confirm-phone", ["Code.Value"] = code });
        Assert.Contains("Your phone is confirmed", confirmed);
    }

    [Fact]
    public async Task TheEditorSaysWhyATestToAnOutsideAddressIsRefused()
    {
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CampaignPreview>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Campaigns.Delivery.TrackingLinks>());
        ctx.AddAuthorization().SetAuthorized("marketer@omniconsole.demo").SetRoles(Roles.Marketer);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");
        ctx.Render<MudPopoverProvider>();
        var snackbars = ctx.Render<MudSnackbarProvider>();

        var cut = ctx.Render<StepEditor>(p => p.Add(x => x.Step, StepModel.Send()));
        cut.Find("input[data-testid=step-test-address], [data-testid=step-test-address] input").Input("someone@gmail.com");
        cut.Find("[data-testid=step-test-send]").Click();
        snackbars.WaitForAssertion(() => Assert.Contains("Тестовые отправки уходят только на e-mail учётных записей сотрудников.", snackbars.Markup),
            TimeSpan.FromSeconds(10));

        // Push: no address to type, a note why.
        cut.Render(p => p.Add(x => x.Step, new StepModel { Channel = "push", Text = "Hi" }));
        Assert.Empty(cut.FindAll("[data-testid=step-test-send]"));
        Assert.Contains("Для push тестовой отправки нет", cut.Find("[data-testid=step-test-none]").TextContent);
    }
}
