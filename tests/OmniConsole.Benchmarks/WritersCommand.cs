using System.Diagnostics;
using System.Globalization;
using ClosedXML.Excel;
using OmniConsole.Core.Exports;

namespace OmniConsole.Benchmarks;

/// <summary>
/// The export's choice of writer, measured: N members' rows (the export's 19 typed columns) written by ClosedXML and by
/// the streaming <see cref="MembersWorkbook"/>, each in a process of its own, with time and peak anonymous memory.
/// </summary>
internal static class WritersCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(args.SkipWhile(a => a != "--rows").Skip(1).FirstOrDefault() ?? "100000", CultureInfo.InvariantCulture);
        var writer = args.SkipWhile(a => a != "--writer").Skip(1).FirstOrDefault() ?? "both";
        if (writer == "both")
        {
            foreach (var w in new[] { "closedxml", "streaming" })
            {
                var start = new ProcessStartInfo("dotnet", $"\"{typeof(WritersCommand).Assembly.Location}\" writers --rows {rows} --writer {w}") { RedirectStandardOutput = true };
                using var child = Process.Start(start)!;
                Console.Write(await child.StandardOutput.ReadToEndAsync());
                await child.WaitForExitAsync();
            }
            return 0;
        }

        var path = Path.Combine(Path.GetTempPath(), $"writers-{writer}-{rows}.xlsx");
        long peakAnon = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakAnon = Math.Max(peakAnon, AnonKb());
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var clock = Stopwatch.StartNew();
        if (writer == "closedxml") WriteClosedXml(path, rows);
        else WriteStreaming(path, rows);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        Console.WriteLine($"{writer,-10} {rows:N0} rows: {elapsed.TotalSeconds:N1} s, {new FileInfo(path).Length / 1024.0 / 1024.0:N1} MB, peak anonymous memory {peakAnon / 1024.0:N0} MB");
        File.Delete(path);
        return 0;
    }

    private static MemberLine Line(int i) => new(
        i + 1, "Мария", "Петрова", "+79035550202", $"client{i}@example.ru", "2000000000017", "Москва", "female", 20 + i % 50,
        new DateTime(2025, 1, 1).AddMinutes(i), i % 30, 1234.56m * (i % 100), 987.65m, new DateTime(2026, 11, 1).AddMinutes(-i),
        "app, email, online, store", 500m, 120.5m, "base", "email, sms");

    private static void WriteStreaming(string path, int rows)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var book = new MembersWorkbook(file, [("Segment", "bench"), ("Members", rows)]);
        for (var i = 0; i < rows; i++) book.Add(Line(i));
        book.Complete();
    }

    private static void WriteClosedXml(string path, int rows)
    {
        using var book = new XLWorkbook();
        var summary = book.AddWorksheet("Summary");
        summary.Cell(1, 1).Value = "Segment";
        summary.Cell(1, 2).Value = "bench";
        var sheet = book.AddWorksheet("Members");
        for (var c = 0; c < MembersWorkbook.Columns.Count; c++)
        {
            sheet.Cell(1, c + 1).Value = MembersWorkbook.Columns[c].Header;
            sheet.Column(c + 1).Width = MembersWorkbook.Columns[c].Width;
        }
        for (var i = 0; i < rows; i++)
        {
            var m = Line(i);
            var r = i + 2;
            sheet.Cell(r, 1).Value = m.CustomerId; sheet.Cell(r, 2).Value = m.FirstName; sheet.Cell(r, 3).Value = m.LastName;
            sheet.Cell(r, 4).Value = m.Phone; sheet.Cell(r, 5).Value = m.Email; sheet.Cell(r, 6).Value = m.CardNumber;
            sheet.Cell(r, 7).Value = m.City; sheet.Cell(r, 8).Value = m.Gender; sheet.Cell(r, 9).Value = m.Age;
            sheet.Cell(r, 10).Value = m.RegisteredAt; sheet.Cell(r, 11).Value = m.Purchases; sheet.Cell(r, 12).Value = m.Spent;
            sheet.Cell(r, 13).Value = m.AverageCheck; sheet.Cell(r, 14).Value = m.LastPurchaseAt; sheet.Cell(r, 15).Value = m.Channels;
            sheet.Cell(r, 16).Value = m.ActivePoints; sheet.Cell(r, 17).Value = m.PendingPoints; sheet.Cell(r, 18).Value = m.Tier;
            sheet.Cell(r, 19).Value = m.Consents;
        }
        sheet.Row(1).Style.Font.Bold = true;
        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, rows + 1, MembersWorkbook.Columns.Count).SetAutoFilter();
        book.SaveAs(path);
    }

    private static long AnonKb() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
}
