using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Web.Components.Pages.Customers;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>The customer list keeps its filters, sort and page in the URL, so Back from a card returns to the same list.</summary>
public sealed class CustomerListPageTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private BunitContext NewContext() => CustomerPagesContext.Create(app);

    /// <summary>27 customers in a city of their own, lifetime values 1,000 … 27,000 ₽, named by their value.</summary>
    private async Task<string> CityOf27Async()
    {
        var city = $"Город-{Guid.NewGuid():N}"[..14];
        var results = await app.PostAsync(Enumerable.Range(1, 27).Select(i => Ev.Purchase(
            new { phone = Ev.NewPhone(), firstName = "Клиент", lastName = $"Ценность{i:00}", city }, i * 1000m, app.Clock.GetUtcNow().AddDays(-1))).ToArray());
        Assert.All(results, r => Assert.Equal("accepted", r.Status));
        Assert.Equal(27, results.Select(r => r.CustomerId).Distinct().Count()); // 27 customers, none merged into another
        return city;
    }

    private static string[] LastNames(IRenderedComponent<Customers> cut) =>
        cut.FindAll("[data-testid=customers-grid] tbody tr td:first-child").Select(td => td.TextContent.Trim().Split(' ')[0]).ToArray();

    [Fact]
    public async Task TheListOpensWithTheFiltersSortAndPageGivenInItsUrl()
    {
        var city = await CityOf27Async();
        await using var ctx = NewContext();
        ctx.Services.GetRequiredService<NavigationManager>()
            .NavigateTo($"/customers?city={Uri.EscapeDataString(city)}&sort=lifetimevalue&desc=true&page=2");

        var cut = ctx.Render<Customers>();

        // Page 2 of 25 a page, by lifetime value from the highest: the two lowest.
        cut.WaitForAssertion(() => Assert.Equal(["Ценность02", "Ценность01"], LastNames(cut)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ASegmentsMembersAreBrowsedInTheListFromTheSegmentsLink()
    {
        var city = await CityOf27Async();
        var segment = await app.Services.GetRequiredService<OmniConsole.Core.Segments.SegmentService>().CreateAsync($"Сегмент {city}", null,
            OmniConsole.Core.Segments.SegmentService.ParseOrThrow($$"""{"all":[{"attr":"city","op":"eq","value":"{{city}}"},{"attr":"spent","op":"gte","value":25000}]}"""),
            "test", default);
        await using var ctx = NewContext();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"/customers?segment={segment.Segment.Id}&sort=lifetimevalue");

        var cut = ctx.Render<Customers>();

        // Only the segment's members (spent 25,000 ₽ or more): three of the city's 27.
        cut.WaitForAssertion(() => Assert.Equal(["Ценность25", "Ценность26", "Ценность27"], LastNames(cut)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task FilteringSortingAndPagingAreWrittenIntoTheUrl()
    {
        var city = await CityOf27Async();
        await using var ctx = NewContext();
        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"/customers?city={Uri.EscapeDataString(city)}");
        var cut = ctx.Render<Customers>();
        cut.WaitForAssertion(() => Assert.Equal(25, LastNames(cut).Length), TimeSpan.FromSeconds(10));

        cut.Find("[data-testid=filter-name] input, input[data-testid=filter-name]").Input("ценность1");
        cut.WaitForAssertion(() => Assert.Contains("name=%D1%86%D0%B5%D0%BD%D0%BD%D0%BE%D1%81%D1%82%D1%8C1", nav.Uri), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Equal(10, LastNames(cut).Length), TimeSpan.FromSeconds(10));
        Assert.Contains($"city={Uri.EscapeDataString(city)}", nav.Uri);

        cut.Find("[data-testid=filter-name] input, input[data-testid=filter-name]").Input("");
        cut.WaitForAssertion(() => Assert.DoesNotContain("name=", nav.Uri), TimeSpan.FromSeconds(10));
        // As a user does: the next page once the list shows all 27 again (its reload is asynchronous on a server database).
        cut.WaitForAssertion(() => Assert.Equal(25, LastNames(cut).Length), TimeSpan.FromSeconds(10));
        cut.Find("button[aria-label='Next page']").Click();
        cut.WaitForAssertion(() => Assert.Contains("page=2", nav.Uri), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Equal(2, LastNames(cut).Length), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OpeningTheListAgainFromTheMenuStartsAfresh()
    {
        var city = await CityOf27Async();
        await using var ctx = NewContext();
        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"/customers?city={Uri.EscapeDataString(city)}&sort=lifetimevalue&desc=true&page=2");
        var cut = ctx.Render<Customers>();
        cut.WaitForAssertion(() => Assert.Equal(["Ценность02", "Ценность01"], LastNames(cut)), TimeSpan.FromSeconds(10));

        nav.NavigateTo("/customers"); // the menu's link

        cut.WaitForAssertion(() => Assert.Equal(25, LastNames(cut).Length), TimeSpan.FromSeconds(10));
        Assert.Equal("http://localhost/customers", nav.Uri);
    }
}
