using OmniConsole.Benchmarks;

// One verb per command; each lives in its own file with its own usage text.
return args.FirstOrDefault() switch
{
    "generate" => await GenerateCommand.RunAsync(args[1..]),
    "measure" => await MeasureCommand.RunAsync(args[1..]),
    "segments" => await SegmentsCommand.RunAsync(args[1..]),
    "writers" => await WritersCommand.RunAsync(args[1..]),
    "search" => await SearchCommand.RunAsync(args[1..]),
    "loyalty" => await LoyaltyCommand.RunAsync(args[1..]),
    "loyalty-report" => await LoyaltyReportCommand.RunAsync(args[1..]),
    "dashboard" => await DashboardCommand.RunAsync(args[1..]),
    "audit" => await AuditCommand.RunAsync(args[1..]),
    "campaigns" => await CampaignsCommand.RunAsync(args[1..]),
    "segment-watch" => await SegmentWatchCommand.RunAsync(args[1..]),
    "smtp" => await CampaignsCommand.RunSmtpAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        OmniConsole benchmarks

        Usage (--db: a SQLite file, or a PostgreSQL connection string "Host=…;Database=…;Username=…" for generate, measure, segments, dashboard, campaigns, loyalty-report):
          generate --db <path> --customers N --events M [--seed S] [--now yyyy-MM-ddTHH:mm:ssZ] [--force]
              Creates a SQLite database with the migrations and fills it with a generated data set
              (the same seed and now give the same data; now defaults to the current time).
          measure --db <path> [--batches 200] [--warmup-batches 20] [--clients 1] [--heavy-events 10000] [--traffic-customers 20000] [--prewarm] [--app-log <file>] [--only ingestion]
              Runs the web app (Release build) on that database and times ingestion, lookups, timeline and 360° page over HTTP.
              --prewarm reads the database file once first (as on a server that has been up a while); --app-log keeps the
              app's console output (set Logging__LogLevel__… in the environment to choose what it logs).
          audit --db <path> [--entries 10000000] [--runs 3]
              Fills the audit log up to that many entries (two years of views, API reads, searches, sign-ins, exports) and times
              /admin/audit's reads for each filter, alone and combined.
          segments --db <path> [--prewarm] [--runs 5] [--export N]
              Times segment counts per condition family, a typical definition, the members page and the builder's sample,
              in process through the app's services; with --export N, exports a segment of about N members and reports
              its time and the process's peak memory.
          writers [--rows 100000]
              Writes that many export rows with ClosedXML and with the streaming writer the exports use, each in a
              process of its own, and reports time, file size and peak anonymous memory.
          search --db <path> [--runs 300]
              Times the lookup box (first name, last name, "first last", phone prefix) in process, after applying pending
              migrations and filling name keys (it writes to the database once).
          loyalty --db <path> [--setup] [--runs 3] [--codes 100000]
              Applies pending migrations; with --setup configures three tiers (recomputing every customer's tier) and 20
              active earning rules of mixed conditions, which `measure --only ingestion` then runs against; times rule
              previews over 30 days and generating that many unique promo codes (0: skip).
          loyalty-report --db <path> [--runs 3] [--prewarm] [--log-sql]
              Times the loyalty report of /reports (liability, 12 months by month and channel, top rules) in process,
              each run printed; opens the database read-only (no migrations, no writes).
          dashboard --db <path> [--runs 3] [--prewarm] [--log-sql]
              Times the dashboard's figures in process for each period: the first computation (cold), --runs more (warm)
              and the read of the kept figures the page shows; opens the database read-only (no migrations, no writes).
          segment-watch --db <path> [--passes 3] [--keep]
              Launches a segment-entry campaign on watched segments of a few sizes and times its trigger's passes in process:
              the first (the snapshot at launch), then passes with nothing changed (what each minute costs while it runs).
          campaigns --db <path> [--prewarm] [--experiment] [--lookup-pause-ms 10] [--timeout-minutes 20] [--app-log <file>] [--csv <file>]
              Runs the web app (Release build, sandbox providers) on that database, creates a segment of everyone and an
              e-mail campaign to it over the management API and launches it; while it runs, times lookups by phone over
              HTTP and samples enrolled, outbox, sent and pending every second; reports the time to enrol everyone, to fill
              the outbox and to send everything, messages per second, lookup percentiles and the app's peak RSS. It writes
              the campaign (recipients, outbox rows, timeline items) into the database; unfinished, it is stopped.
          smtp [--messages 2000] [--parallel 4]
              Sends that many e-mails through SmtpEmailSender to a local SMTP server (netDumbster): one instance over its
              reused connection, then --parallel instances at once; reports messages per second.
        """);
    return 2;
}
