using System.Net;
using ClosedXML.Excel;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>The audit log, filtered as on /admin/audit, exported to Excel (issue 16): typed cells, administrators only, itself audited.</summary>
public sealed class AuditExportTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();

    [Fact]
    public async Task AnAdministratorExportsTheFilteredLogWithTypedCells()
    {
        await _app.CreateStaffAsync("chief@example.com", "Chief-Admin-2026!", Roles.Administrator);
        await _app.CreateStaffAsync("shop@example.com", "Shop-Consult-2026!", Roles.Consultant);
        var consultant = _app.Browser();
        await OmniConsoleFactory.SignInAsync(consultant, "shop@example.com", "Shop-Consult-2026!");
        var admin = _app.Browser();
        await OmniConsoleFactory.SignInAsync(admin, "chief@example.com", "Chief-Admin-2026!");

        var response = await admin.GetAsync("/admin/audit.xlsx?action=SignedIn&actor=shop%40example.com");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var rows = workbook.Worksheet(1).RowsUsed().Skip(1).ToList();
        var only = Assert.Single(rows); // the filter: the consultant's sign-in, not the administrator's
        Assert.Equal(XLDataType.DateTime, only.Cell(1).DataType);
        Assert.Equal("shop@example.com", only.Cell(2).GetString());
        Assert.Equal("Signed in", only.Cell(3).GetString());

        Assert.NotEqual(HttpStatusCode.OK, (await consultant.GetAsync("/admin/audit.xlsx")).StatusCode);
        var exported = await admin.GetAsync("/admin/audit.xlsx?action=Exported");
        using var again = new XLWorkbook(new MemoryStream(await exported.Content.ReadAsByteArrayAsync()));
        Assert.Contains(again.Worksheet(1).RowsUsed().Skip(1), r => r.Cell(2).GetString() == "chief@example.com" && r.Cell(6).GetString().Contains("Audit log"));
    }

    /// <summary>
    /// A crash right after the answer loses nothing: the entry is in the database when the answer arrives. Anything that
    /// would write it later (a background job) is taken away here, as a crash would.
    /// </summary>
    [Fact]
    public async Task AnApiReadIsDurableWhenItsAnswerArrivesAndSurvivesACrash()
    {
        // An instance whose journal is never moved into the database by itself: it "crashes" (is disposed) right after answering.
        var crashing = _app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            foreach (var job in services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService) && d.ImplementationType?.Name == "AuditJournalJob").ToList())
                services.Remove(job);
        }));
        var created = await _app.PostAsync(new object[]
        {
            new { eventId = "d1", type = "store_visit", channel = "store", storeCode = "MSK-01", occurredAt = "2026-05-20T12:00:00+03:00", customer = new { phone = "+79161230088" } },
        });
        var id = long.Parse(created[0].CustomerId!);
        var api = crashing.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", OmniConsoleFactory.TillKey);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? api.GetAsync("/api/v1/customers/lookup?phone=%2B79161230088") : api.GetAsync($"/api/v1/customers/{id}/timeline")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await crashing.DisposeAsync();

        // The next instance on the database takes the crashed one's journal over.
        await _app.Services.GetRequiredService<Core.Audit.AuditLog>().FlushAsync(default);
        await using var db = await _app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Core.Data.OmniConsoleDbContext>>().CreateDbContextAsync();
        Assert.Equal(20, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.AuditEntries,
            a => a.Action == Core.Audit.AuditAction.CustomerReadByApi && a.CustomerId == id && a.Actor == "api:till"));
    }

    [Fact]
    public async Task ApiReadsOfACustomerAreAuditedByTheirKey()
    {
        var created = await _app.PostAsync(new object[]
        {
            new { eventId = "v1", type = "store_visit", channel = "store", storeCode = "MSK-01", occurredAt = "2026-05-20T12:00:00+03:00", customer = new { phone = "+79161230099" } },
        });
        var id = long.Parse(created[0].CustomerId!);
        var api = _app.Api(OmniConsoleFactory.TillKey);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/customers/lookup?phone=%2B79161230099")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/customers/{id}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/customers/lookup?phone=%2B79160000001")).StatusCode); // nobody read

        var audit = _app.Services.GetRequiredService<Core.Audit.AuditLog>();
        var page = await audit.ReadAsync(new Core.Audit.AuditLog.Filter(Action: Core.Audit.AuditAction.CustomerReadByApi), 0, 10, default);
        Assert.Equal(2, page.Total);
        Assert.All(page.Rows, r => Assert.Equal(("api:till", id), (r.Actor, r.CustomerId!.Value)));
        Assert.Contains(page.Rows, r => r.Details == "Lookup by phone");
        Assert.Contains(page.Rows, r => r.Details == "Timeline");
    }

    [Fact]
    public async Task AnAdministratorExportsEverythingStoredAboutACustomerAndTheExportIsAudited()
    {
        var created = await _app.PostAsync(new object[]
        {
            new { eventId = "p1", type = "purchase", channel = "store", storeCode = "MSK-01", occurredAt = "2026-05-20T12:00:00+03:00",
                customer = new { phone = "+79161230077", email = "vera@example.ru", firstName = "Вера" }, order = new { orderNumber = "A-77", total = 1500 } },
        });
        var id = long.Parse(created[0].CustomerId!);
        await _app.CreateStaffAsync("chief@example.com", "Chief-Admin-2026!", Roles.Administrator);
        await _app.CreateStaffAsync("shop@example.com", "Shop-Consult-2026!", Roles.Consultant);
        var admin = _app.Browser();
        await OmniConsoleFactory.SignInAsync(admin, "chief@example.com", "Chief-Admin-2026!");
        var consultant = _app.Browser();
        await OmniConsoleFactory.SignInAsync(consultant, "shop@example.com", "Shop-Consult-2026!");

        Assert.NotEqual(HttpStatusCode.OK, (await consultant.GetAsync($"/customers/{id}/data.xlsx")).StatusCode);
        var response = await admin.GetAsync($"/customers/{id}/data.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal("Вера", workbook.Worksheet("Profile").Cell(2, 2).GetString());
        Assert.Contains(workbook.Worksheet("Identifiers").RowsUsed(), r => r.Cell(2).GetString() == "vera@example.ru");
        var order = workbook.Worksheet("Orders").Row(2);
        Assert.Equal("A-77", order.Cell(1).GetString());
        Assert.Equal(1500.0, order.Cell(5).GetDouble());
        Assert.Equal(XLDataType.DateTime, order.Cell(4).DataType);
        Assert.True(workbook.Worksheet("Bonus ledger").RowsUsed().Count() > 1);
        Assert.True(workbook.Worksheet("Timeline").RowsUsed().Count() > 1);

        var audit = _app.Services.GetRequiredService<Core.Audit.AuditLog>();
        var exports = await audit.ReadAsync(new Core.Audit.AuditLog.Filter(Action: Core.Audit.AuditAction.Exported, CustomerId: id), 0, 10, default);
        Assert.Equal("chief@example.com", Assert.Single(exports.Rows).Actor);
    }

    public void Dispose() => _app.Dispose();
}
