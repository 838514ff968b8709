using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Layout;

namespace OmniConsole.Web.Tests;

public sealed class NavMenuTests : BunitContext
{
    public NavMenuTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    [Theory]
    [InlineData(Roles.Consultant, new[] { "/lookup", "/customers", "/feedback" })]
    [InlineData(Roles.Manager, new[] { "/", "/lookup", "/customers", "/segments", "/campaigns", "/feedback", "/reports" })]
    [InlineData(Roles.Marketer, new[] { "/", "/lookup", "/customers", "/loyalty/rules", "/loyalty/promocodes", "/segments", "/campaigns", "/feedback", "/reports" })]
    [InlineData(Roles.Administrator, new[] { "/", "/lookup", "/customers", "/loyalty/rules", "/loyalty/promocodes", "/segments", "/campaigns", "/feedback", "/reports", "/admin/users", "/admin/api-keys", "/admin/audit" })]
    public void EachRoleSeesExactlyItsMenu(string role, string[] expected)
    {
        AddAuthorization().SetAuthorized("someone@omniconsole.demo").SetRoles(role);

        var menu = Render<NavMenu>();

        var links = menu.FindAll("a").Select(a => new Uri(new Uri("http://localhost"), a.GetAttribute("href")).AbsolutePath).ToArray();
        Assert.Equal(expected, links);
    }

    [Fact]
    public void MenuIsInRussianWhenTheCultureIsRussian()
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Consultant);
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new("ru-RU");
        try
        {
            var menu = Render<NavMenu>();
            Assert.Contains("Поиск клиента", menu.Markup);
            Assert.Contains("Клиенты", menu.Markup);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }
}
