using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>Two instances started at once on a server database that does not exist yet: it is created, migrated and seeded once.</summary>
public sealed class DatabaseStartupTests
{
    [PostgreSqlFact]
    public async Task TwoInstancesStartingTogetherOnANewDatabaseCreateMigrateAndSeedItOnce()
    {
        var database = TestDatabases.NotYetCreated("omni_start");
        using var first = OmniConsoleFactory.On(database, seedDemoData: true);
        using var second = OmniConsoleFactory.On(database, seedDemoData: true);
        try
        {
            // Creating a client starts the host, which prepares the database before it answers.
            await Task.WhenAll(Task.Run(() => first.CreateClient()), Task.Run(() => second.CreateClient()));

            await using var db = new OmniConsoleDbContext(DbContextOptionsSetup.Standalone(DatabaseProvider.PostgreSql, database));
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations().Count(), (await db.Database.GetAppliedMigrationsAsync()).Count());
            Assert.Equal(4, await db.Users.CountAsync(u => u.Email!.EndsWith("@omniconsole.demo"))); // one per role, not eight
            var customers = await db.Customers.CountAsync();
            Assert.InRange(customers, 1000, 10_000); // the demo retailer, once
            Assert.Equal(customers, await db.Customers.Select(c => c.Id).Distinct().CountAsync());
            var showcase = OmniConsole.DemoData.DemoShowcase.AlexeyIvanov.Phone;
            Assert.Equal(1, await db.CustomerIdentifiers.CountAsync(i => i.Value == showcase)); // the showcase customer, once
        }
        finally { TestDatabases.Drop(database); }
    }
}
