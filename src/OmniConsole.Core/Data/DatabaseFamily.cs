using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core.Data;

/// <summary>
/// What one database family does its own way: how the context reaches it, which errors mean "try again", bulk row
/// writing, the outbox claim, files to clean after an erasure, data-set loading. One subclass per provider lives in its
/// own project beside that provider's migrations (<c>OmniConsole.Data.Sqlite</c>, <c>.PostgreSql</c>, <c>.SqlServer</c>);
/// the domain asks the context's family (<see cref="DatabaseFamilyExtensions.Family"/>) and never branches on the
/// provider. The defaults here are the provider-neutral way, through EF: SQL Server uses them as they are.
/// </summary>
public abstract class DatabaseFamily
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The assembly with this family's migrations: its own project.</summary>
    public string MigrationsAssembly => GetType().Assembly.GetName().Name!;

    /// <summary>Points the options at this provider and its migrations.</summary>
    public abstract void UseProvider(DbContextOptionsBuilder options, string connectionString);

    /// <summary>Services of this family alone (for example SQLite's checkpoints).</summary>
    public virtual void AddServices(IServiceCollection services) { }

    /// <summary>Creates the database the connection string names when it does not exist yet (SQLite makes its file on open).</summary>
    public virtual Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Held while an instance migrates and seeds at start, so that instances starting together on one database do it
    /// once. By default nothing is held.
    /// </summary>
    public virtual Task<IAsyncDisposable> StartupLockAsync(string connectionString, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable>(NoOp.Instance);

    /// <summary>
    /// True where the database has one writer at a time (SQLite): the app's big writers then take turns in its
    /// <see cref="WriteGate"/> instead of retrying on the database's lock. Server databases let writers run side by side,
    /// kept correct by transactions, unique indexes and concurrency tokens.
    /// </summary>
    public virtual bool SingleWriter => false;

    /// <summary>The database cannot take the work now (locked, down, restarting): nothing was stored; ask again later.</summary>
    public virtual bool IsBusy(Exception ex) => false;

    /// <summary>The transaction lost to another (serialization failure, deadlock): run it again from the start.</summary>
    public virtual bool IsConflict(Exception ex) => false;

    /// <summary>Nothing was stored and asking again later is the answer: busy, or a race lost past its retries.</summary>
    public bool IsTryAgain(Exception ex) => IsBusy(ex) || IsConflict(ex);

    /// <summary>The connection batch ingestion writes through; by default the context's own, from the pool.</summary>
    public virtual IWriterConnection CreateWriterConnection() => IWriterConnection.Pooled;

    /// <summary>
    /// Holds these customers' rows for the rest of the current transaction, taken in key order (the caller gives them
    /// sorted), so a concurrent writer of the same customers waits instead of losing on the concurrency token. Nothing
    /// to do where writers take turns anyway; by default the tokens alone decide (the loser retries).
    /// </summary>
    public virtual Task LockCustomersAsync(OmniConsoleDbContext db, IReadOnlyList<long> sortedIds, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Inserts new rows of one entity in the context's current transaction. <paramref name="linkKeys"/> copies the keys
    /// of the rows each points at (known by now) into its foreign keys; <paramref name="setKey"/>, when given, receives
    /// the key the database generated for each row. By default EF writes them (and sets the keys itself).
    /// </summary>
    public virtual async Task InsertRowsAsync<T>(DbContext db, IReadOnlyCollection<T> rows, Action<T>? linkKeys, Action<T, long>? setKey,
        CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (linkKeys is not null) foreach (var row in rows) linkKeys(row);
        db.AddRange(rows);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Whether the planner runs a correlated <c>EXISTS</c> as a join (PostgreSQL, SQL Server). Where it runs it once per
    /// outer row (SQLite), queries test membership with <c>IN</c> over a grouped subquery instead.
    /// </summary>
    public virtual bool JoinsCorrelatedExists => true;

    /// <summary>
    /// The context's <c>SaveChanges</c>; a family may write many rows changed alike by one statement (same result, same
    /// concurrency checks: a row changed meanwhile is a <see cref="DbUpdateConcurrencyException"/>).
    /// </summary>
    public virtual Task SaveChangesAsync(OmniConsoleDbContext db, CancellationToken ct) => db.SaveChangesAsync(ct);

    /// <summary>Widens each customer's first and last time in a channel (a row is created when missing), in the current transaction.</summary>
    public virtual async Task WidenChannelActivityAsync(OmniConsoleDbContext db, IReadOnlyCollection<CustomerChannelActivity> seen, CancellationToken ct)
    {
        foreach (var s in seen)
        {
            var row = await db.CustomerChannelActivities.FindAsync([s.CustomerId, s.Channel], ct);
            if (row is null) db.CustomerChannelActivities.Add(new CustomerChannelActivity { CustomerId = s.CustomerId, Channel = s.Channel, FirstAtUtc = s.FirstAtUtc, LastAtUtc = s.LastAtUtc });
            else row.Widen(s.FirstAtUtc, s.LastAtUtc);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Claims up to <see cref="OutboxClaim.Size"/> of <paramref name="free"/> (due messages nobody holds), oldest first,
    /// and answers the keys claimed. The claim is a conditional update, so two dispatchers never take the same row: a
    /// row another took meanwhile is left out.
    /// </summary>
    public async Task<List<long>> ClaimOutboxAsync(OmniConsoleDbContext db, IQueryable<OutboxMessage> free, OutboxClaim claim, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var candidates = await SkippingLockedRows(free.OrderBy(m => m.DueAtUtc).ThenBy(m => m.Id).Select(m => m.Id).Take(claim.Size)).ToListAsync(ct);
        await MarkClaimedAsync(db, candidates, claim, ct);
        await tx.CommitAsync(ct);
        return candidates;
    }

    /// <summary>
    /// Marks the candidates this claim's that are still free (another dispatcher may have taken some since): holder,
    /// end of the claim, one more attempt, the first attempt's time.
    /// </summary>
    protected virtual Task MarkClaimedAsync(OmniConsoleDbContext db, List<long> candidates, OutboxClaim claim, CancellationToken ct)
    {
        var now = claim.Now;
        return db.Outbox.Where(m => candidates.Contains(m.Id) && m.Status == MessageStatus.Pending && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, claim.Instance).SetProperty(m => m.ClaimedUntilUtc, claim.Until)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.FirstAttemptAtUtc, m => m.FirstAttemptAtUtc ?? now), ct);
    }

    /// <summary>
    /// Where the database can, the claim's read locks the rows it picks and passes over rows another dispatcher has
    /// locked, so dispatchers running side by side pick different rows instead of racing for the same ones.
    /// </summary>
    protected virtual IQueryable<long> SkippingLockedRows(IQueryable<long> candidates) => candidates;

    /// <summary>
    /// Until disposed, what this context's connection deletes or overwrites leaves no readable copy in the database's
    /// free space (where the family keeps such copies). By default nothing to do.
    /// </summary>
    public virtual Task<IAsyncDisposable> OverwriteFreedSpaceAsync(OmniConsoleDbContext db, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable>(NoOp.Instance);

    /// <summary>
    /// After an erasure: removes old copies of the erased values the database keeps in logs or dead rows. False when it
    /// could not now (the next maintenance pass will). By default nothing to do.
    /// </summary>
    public virtual Task<bool> ForgetErasedValuesAsync(OmniConsoleDbContext db, CancellationToken ct) => Task.FromResult(true);

    /// <summary>The database's own file (an embedded database), beside which the app keeps its per-database files; null for a server.</summary>
    public virtual string? DatabaseFile(string connectionString) => null;

    /// <summary>Starts loading generated rows into an empty database as fast as this family allows.</summary>
    public virtual Task<IBulkLoader> StartBulkLoadAsync(OmniConsoleDbContext db, IReadOnlyList<TableMapping> tables,
        IReadOnlyList<TableMapping> indexedTables, CancellationToken ct) =>
        throw new NotSupportedException($"Generating a data set is not supported on {Provider}; generate into SQLite or PostgreSQL, or turn demo data off (OmniConsole:SeedDemoData=false).");

    /// <summary>The family of a provider, from its project (referenced by the app): <c>OmniConsole.Data.{provider}</c>.</summary>
    public static DatabaseFamily For(DatabaseProvider provider)
    {
        var assembly = Assembly.Load($"OmniConsole.Data.{provider}");
        var type = assembly.GetType($"OmniConsole.Data.{provider}.{provider}Family", throwOnError: true)!;
        return (DatabaseFamily)Activator.CreateInstance(type)!;
    }

    private sealed class NoOp : IAsyncDisposable
    {
        public static readonly NoOp Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>One claim of outbox rows: by whom, until when, at most how many.</summary>
public sealed record OutboxClaim(string Instance, DateTime Now, DateTime Until, int Size);

/// <summary>The connection batch ingestion writes through, while it holds the <see cref="WriteGate"/>.</summary>
public interface IWriterConnection : IDisposable
{
    /// <summary>Puts the context on the writer's connection.</summary>
    void Use(OmniConsoleDbContext db);

    /// <summary>Database pages this connection wrote since the last call, for the ingestion debug log (0 when not known).</summary>
    int PagesWrittenSinceLastAsked();

    /// <summary>Each context keeps its pooled connection.</summary>
    public static IWriterConnection Pooled { get; } = new PooledConnection();

    private sealed class PooledConnection : IWriterConnection
    {
        public void Use(OmniConsoleDbContext db) { }
        public int PagesWrittenSinceLastAsked() => 0;
        public void Dispose() { }
    }
}

/// <summary>Loads generated rows, committing every so often, and puts indexes and settings back at the end.</summary>
public interface IBulkLoader : IAsyncDisposable
{
    long RowsInTransaction { get; }
    void Insert(EncodedRow row);
    Task CommitAsync(CancellationToken ct);
    /// <summary>Commits the last rows, builds what was put off (reporting each index) and leaves the database ready.</summary>
    Task CompleteAsync(Action<string> onIndex, CancellationToken ct);
}

/// <summary>One generated row: its table and its values in column order.</summary>
public readonly record struct EncodedRow(TableMapping Table, object[] Values);

/// <summary>Periodic housekeeping a family needs beside the app's work (SQLite's log checkpoints).</summary>
public interface IDatabaseMaintenance
{
    /// <summary>Does one pass; answers a line for the debug log, or null.</summary>
    Task<string?> RunAsync(CancellationToken ct);
}

public static class DatabaseFamilyExtensions
{
    /// <summary>The family of the database this factory's contexts use.</summary>
    public static DatabaseFamily Family(this IDbContextFactory<OmniConsoleDbContext> factory)
    {
        using var db = factory.CreateDbContext();
        return db.Family();
    }

    /// <summary>The family of the database this context uses.</summary>
    public static DatabaseFamily Family(this DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<DatabaseFamilyOptionsExtension>()?.Family
        ?? throw new InvalidOperationException("The context was configured without UseOmniConsoleDatabase.");
}

/// <summary>Carries the family on the context's options, so every context knows its own.</summary>
internal sealed class DatabaseFamilyOptionsExtension(DatabaseFamily family) : IDbContextOptionsExtension
{
    public DatabaseFamily Family => family;
    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);
    public void ApplyServices(IServiceCollection services) { }
    public void Validate(IDbContextOptions options) { }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;
        public override string LogFragment => "";
        public override int GetServiceProviderHashCode() => 0;
        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;
        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) { }
    }
}
