using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Core.Tests;

public sealed class ModelTests : IDisposable
{
    private readonly TestDatabase _db = new();

    [Fact]
    public async Task NewDatabaseHoldsTheDefaultEarningRule()
    {
        await using var db = _db.Open();
        var rule = await db.EarningRules.SingleAsync();
        Assert.Equal(EarningRule.DefaultRuleId, rule.Id);
        Assert.Equal(500, rule.PercentBasisPoints);
        Assert.Equal(14, rule.ActivationDelayDays);
        Assert.Equal(365, rule.LifetimeDays);
        Assert.Equal(EarningRuleStatus.Active, rule.Status);
        Assert.Equal((EarningRuleKind.Purchase, 0, false, 1), (rule.Kind, rule.Priority, rule.Exclusive, rule.Version));
        Assert.Equal(new EarningRuleConditions().Channels, rule.Conditions.Channels);
        Assert.False(rule.Conditions.MatchesLines);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task AnIdentifierBelongsToOneCustomerOnly()
    {
        await using var db = _db.Open();
        var now = _db.Clock.GetUtcNow().UtcDateTime;
        db.Customers.Add(new Customer { RegisteredAtUtc = now, Identifiers = [new() { Kind = IdentifierKind.Phone, Value = "+79990000001", AddedAtUtc = now }] });
        db.Customers.Add(new Customer { RegisteredAtUtc = now, Identifiers = [new() { Kind = IdentifierKind.Phone, Value = "+79990000001", AddedAtUtc = now }] });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task TimesComeBackAsUtcAndEnumsAreStoredByName()
    {
        var at = new DateTime(2026, 3, 1, 12, 30, 0, DateTimeKind.Utc);
        await using (var db = _db.Open())
        {
            var c = new Customer { RegisteredAtUtc = at, Gender = Gender.Female };
            c.SetName("Анна", "Смирнова");
            db.Customers.Add(c);
            await db.SaveChangesAsync();
        }
        await using var read = _db.Open();
        var customer = await read.Customers.SingleAsync();
        Assert.Equal(DateTimeKind.Utc, customer.RegisteredAtUtc.Kind);
        Assert.Equal(at, customer.RegisteredAtUtc);
        Assert.Equal("смирнова анна", customer.SearchName);
        var gender = await read.Database.SqlQueryRaw<string>("SELECT \"Gender\" AS \"Value\" FROM \"Customers\"").SingleAsync();
        Assert.Equal("Female", gender);
    }

    public void Dispose() => _db.Dispose();
}
