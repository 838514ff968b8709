using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Exports;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Customers;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Security review (issue 23), finding 6: a consultant's phone prefix search listed 13 customers with full phones, in
/// the prerendered first response, unaudited. Now only what was typed in full is shown unmasked, the prerendered
/// response lists nobody, and the search itself audits every search whatever renders it. Finding 11: managers see
/// contacts masked on /customers as consultants do.
/// </summary>
public sealed class LookupPrivacyTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private static readonly SemaphoreSlim Seeded = new(1, 1);
    private static List<string>? _phones;

    /// <summary>13 customers whose phones start +7 916 1 (only they: the class has its own database).</summary>
    private async Task<List<string>> ThirteenPhonesAsync()
    {
        await Seeded.WaitAsync();
        try
        {
            if (_phones is not null) return _phones;
            var phones = Enumerable.Range(0, 13).Select(i => $"+791610{i:00}{Random.Shared.Next(100, 999)}").ToList();
            var results = await app.PostAsync(phones.Select((p, i) => Ev.Purchase(new { phone = p, firstName = "Тест", lastName = $"Префиксов{i:00}" }, 1000m,
                app.Clock.GetUtcNow().AddDays(-1))).ToArray());
            Assert.All(results, r => Assert.Equal("accepted", r.Status));
            return _phones = phones;
        }
        finally { Seeded.Release(); }
    }

    private BunitContext NewContext(string role, string url)
    {
        var ctx = CustomerPagesContext.Create(app, role);
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return ctx;
    }

    private async Task<List<AuditEntry>> SearchesByAsync(string actor)
    {
        await app.Services.GetRequiredService<AuditLog>().FlushAsync(default);
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>().AuditEntries
            .Where(a => a.Actor == actor && a.Action == AuditAction.CustomersSearched).ToListAsync();
    }

    [Fact]
    public async Task APrefixLookupsPrerenderedResponseListsNobody()
    {
        var phones = await ThirteenPhonesAsync();
        var consultant = await app.SignedInAsync(Roles.Consultant);
        var response = await consultant.GetAsync("/lookup?q=%2B7%20916%201");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()); // Blazor writes Cyrillic and '+' as entities
        Assert.Contains("lookup-query", html);
        Assert.DoesNotContain("Префиксов", html);
        foreach (var phone in phones)
        {
            Assert.DoesNotContain(DisplayFormat.Phone(phone), html);
            Assert.DoesNotContain(phone[^7..], html);
        }
    }

    [Fact]
    public async Task APrerenderedLinkWithAWholePhoneOpensTheCardAndIsAudited()
    {
        var phones = await ThirteenPhonesAsync();
        await app.CreateStaffAsync("till.link@example.com", "Till-Link-2026!", Roles.Consultant);
        var consultant = app.Browser();
        await OmniConsoleFactory.SignInAsync(consultant, "till.link@example.com", "Till-Link-2026!");
        var response = await consultant.GetAsync("/lookup?q=" + Uri.EscapeDataString(phones[7]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = long.Parse(response.Headers.Location!.OriginalString.Split('/').Last().Split('?')[0]);
        Assert.Contains(await SearchesByAsync("till.link@example.com"), a => a.CustomerId == id && a.Details == $"lookup: {phones[7]} (1)");
    }

    [Fact]
    public async Task TheLookupsQueryIsInTheAddressSoBackFromACardFindsTheResultsAgain()
    {
        var phones = await ThirteenPhonesAsync();
        await using var ctx = NewContext(Roles.Consultant, "/lookup");
        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        var cut = ctx.Render<Lookup>();
        cut.WaitForElement("[data-testid=lookup-query] input, input[data-testid=lookup-query]").Input("Префиксов");
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Equal(13, cut.FindAll(".oc-hit").Count), TimeSpan.FromSeconds(10));
        Assert.EndsWith("/lookup?q=%D0%9F%D1%80%D0%B5%D1%84%D0%B8%D0%BA%D1%81%D0%BE%D0%B2&list=true", nav.Uri);

        // Back from the card of a single hit: the address brings the hit back, and the card is not opened again.
        await using var back = NewContext(Roles.Consultant, "/lookup?q=" + Uri.EscapeDataString(phones[0]) + "&list=true");
        var again = back.Render<Lookup>();
        again.WaitForAssertion(() => Assert.Single(again.FindAll(".oc-hit")), TimeSpan.FromSeconds(10));
        Assert.Contains("/lookup?q=", back.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task AConsultantsPrefixSearchShowsEveryPhoneMaskedAndIsAudited()
    {
        var phones = await ThirteenPhonesAsync();
        await using var ctx = NewContext(Roles.Consultant, "/lookup?q=%2B7%20916%201");
        var cut = ctx.Render<Lookup>();
        cut.WaitForAssertion(() => Assert.Equal(13, cut.FindAll(".oc-hit").Count), TimeSpan.FromSeconds(10));
        foreach (var phone in phones) Assert.DoesNotContain(DisplayFormat.Phone(phone), cut.Markup);
        Assert.Equal(13, cut.FindAll(".oc-hit").Count(h => h.TextContent.Contains('•')));
        // The one mask the card, the list and exports use (+791••••••67), not a mask of the formatted number.
        foreach (var phone in phones) Assert.Contains(ContactMask.Phone(phone)!, cut.Markup);

        var audited = await SearchesByAsync("consultant@omniconsole.demo");
        Assert.Contains(audited, a => a.Details == "lookup: +7 916 1 (13)");
    }

    [Fact]
    public async Task TheSearchServiceAuditsEverySearchAndMarksOnlyWhatWasTypedInFull()
    {
        var phones = await ThirteenPhonesAsync();
        var search = app.Services.GetRequiredService<CustomerSearch>();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();

        var prefix = await search.SearchAsync(db, "+7 916 10", 20, "service-caller@example.com", default);
        Assert.Equal(13, prefix.Count);
        Assert.All(prefix, h => Assert.Null(h.MatchedBy)); // nobody's phone was typed

        var whole = await search.SearchAsync(db, DisplayFormat.Phone(phones[3]), 20, "service-caller@example.com", default);
        Assert.Equal(IdentifierKind.Phone, Assert.Single(whole).MatchedBy);

        var audited = await SearchesByAsync("service-caller@example.com");
        Assert.Equal(2, audited.Count);
        Assert.Contains(audited, a => a.Details == "lookup: +7 916 10 (13)" && a.CustomerId == null);
        Assert.Contains(audited, a => a.CustomerId == whole[0].Id);
    }

    [Fact]
    public async Task AConsultantWhoTypesAWholePhoneOpensThatCustomersCard()
    {
        var phones = await ThirteenPhonesAsync();
        await using var ctx = NewContext(Roles.Consultant, "/lookup?q=" + Uri.EscapeDataString(DisplayFormat.Phone(phones[5])));
        var cut = ctx.Render<Lookup>();
        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Contains("/customers/", nav.Uri), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(Roles.Manager, true)]
    [InlineData(Roles.Consultant, true)]
    [InlineData(Roles.Marketer, false)]
    [InlineData(Roles.Administrator, false)]
    public async Task TheCustomerListMasksContactsForManagersAndConsultants(string role, bool masked)
    {
        var phones = await ThirteenPhonesAsync();
        await using var ctx = NewContext(role, "/customers?name=%D0%BF%D1%80%D0%B5%D1%84%D0%B8%D0%BA%D1%81%D0%BE%D0%B2"); // name=префиксов
        var cut = ctx.Render<Customers>();
        cut.WaitForAssertion(() => Assert.Equal(13, cut.FindAll("[data-testid=customers-grid] tbody tr").Count), TimeSpan.FromSeconds(10));
        Assert.Equal(!masked, phones.Any(p => cut.Markup.Contains(DisplayFormat.Phone(p))));
    }
}

/// <summary>The customer list audits a search for people itself, whoever calls it: once per search, on its first page.</summary>
public sealed class CustomerListAuditTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Fact]
    public async Task TheListServiceAuditsASearchOnItsFirstPageOnly()
    {
        var actor = $"list-{Guid.NewGuid():N}@test";
        var list = app.Services.GetRequiredService<CustomerList>();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OmniConsole.Core.Data.OmniConsoleDbContext>>().CreateDbContextAsync())
        {
            await list.ReadAsync(db, new CustomerList.Filter(Name: "Иванов"), CustomerList.SortBy.Name, false, 0, 25, actor, default);
            await list.ReadAsync(db, new CustomerList.Filter(Name: "Иванов"), CustomerList.SortBy.Name, false, 25, 25, actor, default); // the next page
            await list.ReadAsync(db, new CustomerList.Filter(City: "Тула"), CustomerList.SortBy.Name, false, 0, 25, actor, default); // not a search for people
        }
        await app.Services.GetRequiredService<AuditLog>().FlushAsync(default);
        await using var read = await app.Services.GetRequiredService<IDbContextFactory<OmniConsole.Core.Data.OmniConsoleDbContext>>().CreateDbContextAsync();
        var entries = await read.AuditEntries.Where(a => a.Actor == actor).Select(a => a.Details).ToListAsync();
        Assert.Equal(["list: name=Иванов (0)"], entries);
    }
}
