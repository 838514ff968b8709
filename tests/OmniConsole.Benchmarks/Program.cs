using OmniConsole.Benchmarks;

// One verb per command; each lives in its own file with its own usage text.
return args.FirstOrDefault() switch
{
    "generate" => await GenerateCommand.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        OmniConsole benchmarks

        Usage:
          generate --db <path> --customers N --events M [--seed S] [--force]
              Creates a SQLite database with the migrations and fills it with a generated data set.
        """);
    return 2;
}
