using Microsoft.AspNetCore.Mvc.Testing;

namespace OmniConsole.Web.Tests;

/// <summary>The installation picks the UI language (OmniConsole:DefaultCulture); a user's choice in the language menu wins.</summary>
public sealed class CultureTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private async Task<string> SignInPageAsync(string? defaultCulture, string? cookie = null)
    {
        // null: the key left out, as in a fresh installation's appsettings.json.
        var factory = app.WithWebHostBuilder(b => b.UseSetting("OmniConsole:DefaultCulture", defaultCulture ?? ""));
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (cookie is not null) client.DefaultRequestHeaders.Add("Cookie", $".AspNetCore.Culture={Uri.EscapeDataString(cookie)}");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US,en;q=0.9"); // a browser's language does not decide
        // Blazor writes non-ASCII text as character references.
        return System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/Account/Login"));
    }

    [Fact]
    public async Task WithoutConfigurationTheInstallationSpeaksRussian()
    {
        var html = await SignInPageAsync(null);
        Assert.Contains("<html lang=\"ru\"", html);
        Assert.Contains("<h1>Вход</h1>", html);
    }

    [Fact]
    public async Task TheConfiguredDefaultCultureIsUsed()
    {
        var html = await SignInPageAsync("en-US");
        Assert.Contains("<html lang=\"en\"", html);
        Assert.Contains("<h1>Sign in</h1>", html);
    }

    [Fact]
    public async Task TheLanguageChosenInTheMenuWinsOverTheDefault()
    {
        var html = await SignInPageAsync("ru-RU", cookie: "c=en-US|uic=en-US");
        Assert.Contains("<h1>Sign in</h1>", html);
    }

    [Fact]
    public async Task TheSignInPageOffersBothLanguages()
    {
        var html = await SignInPageAsync("ru-RU");
        Assert.Contains("/culture/set?culture=en-US", html);
        Assert.Contains("/culture/set?culture=ru-RU", html);
    }

    [Fact]
    public void AnUnsupportedDefaultCultureStopsTheAppWithAClearMessage()
    {
        var factory = app.WithWebHostBuilder(b => b.UseSetting("OmniConsole:DefaultCulture", "de-DE"));
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("OmniConsole:DefaultCulture", error.Message);
    }
}
