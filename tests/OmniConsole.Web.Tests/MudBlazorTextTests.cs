using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Tests;

/// <summary>MudBlazor's own words (the grid's pager) follow the user's language.</summary>
public sealed class MudBlazorTextTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Fact]
    public async Task ThePagerSpeaksRussian()
    {
        Assert.IsType<MudBlazorText>(app.Services.GetRequiredService<MudLocalizer>());
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddTransient<MudLocalizer, MudBlazorText>();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("ru-RU");
        ctx.Render<MudPopoverProvider>();

        var cut = ctx.Render<MudDataGrid<int>>(p => p
            .Add(x => x.Items, Enumerable.Range(1, 60).ToList())
            .Add(x => x.PagerContent, b => { b.OpenComponent<MudDataGridPager<int>>(0); b.CloseComponent(); }));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Строк на странице:", cut.Markup);
            Assert.Contains("1–10 из 60", cut.Markup);
        }, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("Rows per page", cut.Markup);
    }
}
