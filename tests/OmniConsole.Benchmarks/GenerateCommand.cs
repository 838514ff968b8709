using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;
using OmniConsole.DemoData;

namespace OmniConsole.Benchmarks;

/// <summary><c>generate</c>: a new SQLite database with the schema and a generated data set, timed.</summary>
internal static class GenerateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var path, out var options, out var force, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine("Usage: generate --db <sqlite file | PostgreSQL connection string> --customers N --events M [--seed S] [--now yyyy-MM-ddTHH:mm:ssZ] [--force]");
            return 2;
        }
        var target = BenchDatabase.Parse(path, mustExist: false)!;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        if (target.File is { } file)
        {
            var files = new[] { file, file + "-wal", file + "-shm", file + "-journal" };
            if (File.Exists(file))
            {
                if (!force)
                {
                    Console.Error.WriteLine($"{file} already exists; pass --force to replace it.");
                    return 1;
                }
                foreach (var f in files) File.Delete(f);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }
        else
        {
            // A PostgreSQL database: made when missing; an existing one is dropped first only with --force.
            var named = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString);
            var admin = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
            await using var connection = new Npgsql.NpgsqlConnection(admin);
            await connection.OpenAsync(cancel.Token);
            await using var exists = new Npgsql.NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{named.Database}'", connection);
            if (await exists.ExecuteScalarAsync(cancel.Token) is not null)
            {
                if (!force)
                {
                    Console.Error.WriteLine($"Database {named.Database} already exists; pass --force to replace it.");
                    return 1;
                }
                await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE \"{named.Database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync(cancel.Token);
            }
            await DatabaseFamily.For(target.Provider).EnsureDatabaseExistsAsync(target.ConnectionString, cancel.Token);
        }

        await using var db = new OmniConsoleDbContext(DbContextOptionsSetup.Standalone(target.Provider, target.ConnectionString));
        db.Database.SetCommandTimeout(TimeSpan.FromHours(2)); // index builds at the end of a large load
        var migrating = Stopwatch.StartNew();
        await db.Database.MigrateAsync(cancel.Token);
        Console.WriteLine($"Schema created in {migrating.Elapsed.TotalSeconds:0.0} s: {target}");
        Console.WriteLine($"Generating {options.Customers:N0} customers, ~{options.Events:N0} events, seed {options.Seed}, now {options.NowUtc:u}");

        var result = await DataSetGenerator.GenerateAsync(db, options, new SynchronousProgress(Print), cancel.Token);

        var size = target.SizeBytes();
        var seconds = result.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"Done in {result.Elapsed:hh\\:mm\\:ss\\.f} ({seconds:N1} s)");
        Console.WriteLine($"  customers {result.Customers,14:N0}  {result.Customers / seconds,12:N0} /s");
        Console.WriteLine($"  events    {result.Events,14:N0}  {result.Events / seconds,12:N0} /s");
        Console.WriteLine($"  rows      {result.Rows,14:N0}  {result.Rows / seconds,12:N0} /s");
        Console.WriteLine($"  database  {size / 1024.0 / 1024.0,14:N1} MiB");
        return 0;
    }

    private static void Print(GenerationProgress p)
    {
        var rate = p.Elapsed.TotalSeconds > 0 ? p.Rows / p.Elapsed.TotalSeconds : 0;
        Console.WriteLine(p.Stage == GenerationStage.Indexing
            ? $"[{p.Elapsed:hh\\:mm\\:ss}] indexing {p.Detail}"
            : $"[{p.Elapsed:hh\\:mm\\:ss}] {p.Stage.ToString().ToLowerInvariant()}: {p.Customers:N0} customers, {p.Events:N0} events, {p.Rows:N0} rows ({rate:N0} rows/s)");
    }

    private static bool TryParse(string[] args, out string path, out GenerationOptions options, out bool force, out string error)
    {
        path = "";
        force = false;
        error = "";
        int? customers = null;
        long? events = null;
        var seed = GenerationOptions.DefaultSeed;
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : "";
            switch (args[i])
            {
                case "--db": path = Value(); break;
                case "--customers" when int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0: customers = c; break;
                case "--events" when long.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var e): events = e; break;
                case "--seed" when int.TryParse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s): seed = s; break;
                case "--now" when DateTime.TryParse(Value(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var n): now = n; break;
                case "--force": force = true; break;
                default: error = $"Unexpected or invalid argument '{args[i]}'."; break;
            }
            if (error.Length > 0) break;
        }
        if (error.Length == 0 && (path.Length == 0 || customers is null || events is null)) error = "--db, --customers and --events are required.";
        options = new GenerationOptions { Customers = customers ?? 0, Events = events ?? 0, Seed = seed, NowUtc = now };
        return error.Length == 0;
    }

    /// <summary>Prints on the reporting thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
