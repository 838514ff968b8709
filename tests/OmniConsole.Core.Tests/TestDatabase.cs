using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OmniConsole.Core;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Core.Tests;

/// <summary>
/// A real database of the provider the tests run on (a SQLite file, or a PostgreSQL database), migrated, removed
/// afterwards; and the domain services over it with a controllable clock.
/// </summary>
public sealed class TestDatabase : IDisposable
{

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
    public IDbContextFactory<OmniConsoleDbContext> Factory { get; }
    public IOptions<OmniConsoleOptions> Options { get; }
    public CustomerChangeNotifier Notifier { get; } = new();

    public TestDatabase(Action<OmniConsoleOptions>? configure = null)
    {
        var options = new OmniConsoleOptions();
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        var services = new ServiceCollection();
        services.AddIdentityStoreSchema();
        services.AddDbContextFactory<OmniConsoleDbContext>(o => o.UseOmniConsoleDatabase(Family, ConnectionString).ThrowOnUnorderedPaging());
        Factory = services.BuildServiceProvider().GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>();
        using var db = Factory.CreateDbContext();
        db.Database.Migrate();
    }

    public string ConnectionString { get; } = TestDatabases.Create("omni-core");

    public DatabaseFamily Family { get; } = DatabaseFamily.For(TestDatabases.Provider);

    public OmniConsoleDbContext Open() => Factory.CreateDbContext();

    public IdentifierNormalizer Normalizer => new(Options);

    /// <summary>
    /// A fresh ingestion service with a write gate of its own (two of them act like two app instances writing to one
    /// database), or with the given gate (like the app's other writers in the same process).
    /// </summary>
    public EventIngestionService Ingestion(WriteGate? gate = null) =>
        new(Factory, new EventValidator(Normalizer, Options, Clock), gate ?? new WriteGate(), Family.CreateWriterConnection(), Options, Clock, Notifier, NullLogger<EventIngestionService>.Instance);

    public void Dispose() => TestDatabases.Drop(ConnectionString);
}

internal static class UnorderedPaging
{
    /// <summary>EF's warnings about First/Skip/Take without OrderBy (results that change from run to run) fail the tests.</summary>
    public static DbContextOptionsBuilder ThrowOnUnorderedPaging(this DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Throw(
            Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.FirstWithoutOrderByAndFilterWarning,
            Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.RowLimitingOperationWithoutOrderByWarning));
}
