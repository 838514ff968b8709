using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;

namespace OmniConsole.Web.Tests;

/// <summary>A customer's request to be forgotten: personal data gone, history kept for totals, audited, identifiers freed.</summary>
public sealed class CustomerErasureTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private CustomerErasure Erasure => app.Services.GetRequiredService<CustomerErasure>();

    [Fact]
    public async Task ErasingRemovesPersonalDataAndNotesButKeepsPurchasesPointsAndTotals()
    {
        var (phone, email) = (Ev.NewPhone(), $"erase-{Guid.NewGuid():N}@example.ru");
        var at = app.Clock.GetUtcNow().AddDays(-3);
        var customer = new { phone, email, firstName = "Ольга", lastName = "Стёркина", birthDate = "1988-03-14", city = "Казань" };
        var results = await app.PostAsync(new object[]
        {
            Ev.Purchase(customer, 4000m, at),
            new Dictionary<string, object?> { ["eventId"] = Ev.NewId(), ["type"] = "call", ["channel"] = "callcenter", ["occurredAt"] = Ev.At(at.AddHours(1)),
                ["customer"] = new { phone }, ["text"] = "Ольга просила перезвонить на +7 916 000-00-00" },
        });
        var id = long.Parse(results[0].CustomerId!);
        Customer before;
        using (var scope = app.Services.CreateScope())
            before = await scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>().Customers.AsNoTracking().SingleAsync(c => c.Id == id);

        Assert.Equal(ErasureOutcome.ReasonRequired, await Erasure.EraseAsync(id, "  ", "admin@test", CancellationToken.None));
        Assert.Equal(ErasureOutcome.Done, await Erasure.EraseAsync(id, "letter of 2 December", "admin@test", CancellationToken.None));
        Assert.Equal(ErasureOutcome.AlreadyErased, await Erasure.EraseAsync(id, "again", "admin@test", CancellationToken.None));

        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
            var after = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Null(after.FirstName);
            Assert.Null(after.LastName);
            Assert.Null(after.BirthDate);
            Assert.Null(after.City);
            Assert.Equal("", after.SearchName);
            Assert.NotNull(after.ErasedAtUtc);
            Assert.Equal(before.LifetimeValueMinor, after.LifetimeValueMinor);
            Assert.Equal(before.PurchaseCount, after.PurchaseCount);
            Assert.False(await db.CustomerIdentifiers.AnyAsync(i => i.CustomerId == id));
            Assert.False(await db.CustomerConsents.AnyAsync(c => c.CustomerId == id));
            Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerId == id));
            Assert.True(await db.BonusLots.AnyAsync(l => l.CustomerId == id));
            var events = await db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == id).ToListAsync();
            Assert.Equal(2, events.Count);
            Assert.All(events, e => Assert.Null(e.Payload.Text));
            Assert.All(events, e => Assert.DoesNotContain("Ольга", e.Summary));
            Assert.NotNull(events.Single(e => e.Type == Core.Timeline.EventType.Purchase).Payload.Order); // the purchase keeps its lines
            var audit = await db.AuditEntries.SingleAsync(a => a.CustomerId == id && a.Action == AuditAction.CustomerErased);
            Assert.Equal(("admin@test", "letter of 2 December"), (audit.Actor, audit.Details));
        }

        // The phone no longer finds anyone; the next event with it is a new customer, not the erased one.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api().GetAsync($"/api/v1/customers/lookup?phone={Uri.EscapeDataString(phone)}")).StatusCode);
        var next = await app.PostAsync(new[] { Ev.View(new { phone }, app.Clock.GetUtcNow()) });
        Assert.NotEqual(id.ToString(), next[0].CustomerId);
    }

    [Fact]
    public async Task AnUnknownOrMergedCustomerIsNotFound()
    {
        Assert.Equal(ErasureOutcome.NotFound, await Erasure.EraseAsync(long.MaxValue, "request", "admin@test", CancellationToken.None));
        Assert.Equal(ErasureOutcome.ReasonTooLong, await Erasure.EraseAsync(1, new string('x', CustomerErasure.MaxReasonLength + 1), "admin@test", CancellationToken.None));
    }
}
