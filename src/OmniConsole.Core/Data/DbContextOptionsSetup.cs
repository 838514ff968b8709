using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace OmniConsole.Core.Data;

public static class DbContextOptionsSetup
{
    /// <summary>Points the context at the chosen provider, that provider's migrations and its family's ways.</summary>
    public static T UseOmniConsoleDatabase<T>(this T options, DatabaseProvider provider, string connectionString) where T : DbContextOptionsBuilder =>
        options.UseOmniConsoleDatabase(DatabaseFamily.For(provider), connectionString);

    public static T UseOmniConsoleDatabase<T>(this T options, DatabaseFamily family, string connectionString) where T : DbContextOptionsBuilder
    {
        family.UseProvider(options, connectionString);
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new DatabaseFamilyOptionsExtension(family));
        return options;
    }

    /// <summary>
    /// Identity builds its tables from the schema version in IdentityOptions (version 3 adds passkeys).
    /// Every service collection that builds the context sets it, so the app, the tests and the migrations agree.
    /// </summary>
    public static IServiceCollection AddIdentityStoreSchema(this IServiceCollection services) =>
        services.Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3);

    /// <summary>Options for a context made outside the web app (dotnet ef, generators): same model as the app's.</summary>
    public static DbContextOptions<OmniConsoleDbContext> Standalone(DatabaseProvider provider, string connectionString) =>
        new DbContextOptionsBuilder<OmniConsoleDbContext>()
            .UseOmniConsoleDatabase(provider, connectionString)
            .UseApplicationServiceProvider(new ServiceCollection().AddIdentityStoreSchema().BuildServiceProvider())
            .Options;
}
