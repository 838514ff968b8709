using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Security review (issue 23), finding 11: the language switch's redirect (a 500 and a way off-site), an oversized JSON
/// body (a 500 instead of 413) and the six-character password policy.
/// </summary>
public sealed class SecurityGapsTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Theory]
    [InlineData("/%5Cevil.example", "/")]
    [InlineData("/%5C%5Cevil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/%09/evil.example", "/")]
    [InlineData("evil.example", "/")]
    [InlineData("", "/")]
    [InlineData("/customers?name=%D0%98", "/customers?name=И")]
    [InlineData("/reports", "/reports")]
    public async Task TheLanguageSwitchGoesBackOnlyToAPathOfThisSite(string redirectUri, string expected)
    {
        var response = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync($"/culture/set?culture=ru-RU&redirectUri={redirectUri}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, Uri.UnescapeDataString(response.Headers.Location!.OriginalString));
    }

    [Theory]
    [InlineData("/api/v1/segments")]
    [InlineData("/api/v1/loyalty/rules")]
    [InlineData("/api/v1/events")]
    public async Task A40MegabyteJsonBodyIs413ProblemDetails(string path)
    {
        var body = "{\"name\":\"" + new string('x', 40 * 1024 * 1024) + "\"}";
        var response = await app.Api(OmniConsoleFactory.ManagementKey).PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task AStaffPasswordHasTwelveCharactersAtLeast()
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var shortOne = await users.CreateAsync(new ApplicationUser { UserName = "short@example.com", Email = "short@example.com" }, "Abc#2026xyz"); // 11
        Assert.False(shortOne.Succeeded);
        Assert.Contains(shortOne.Errors, e => e.Code == nameof(IdentityErrorDescriber.PasswordTooShort));
        Assert.True((await users.CreateAsync(new ApplicationUser { UserName = "long@example.com", Email = "long@example.com" }, "Abc#2026xyzw")).Succeeded); // 12
    }
}
