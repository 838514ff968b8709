using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace OmniConsole.Core.Audit;

/// <summary>
/// Audit entries of reads made all day at tills (API lookups, staff searches), durable before the caller answers without
/// waiting for the database's writer: appended to a file of this process's (written through to the operating system,
/// several callers of the moment in one write); <see cref="DrainAsync"/> moves them into the database every second. A process
/// holds its file exclusively while it writes, so a file nobody holds was left by a process that stopped or crashed, and
/// the next drain of any instance on the same database takes it over: a crash loses no entry (one that crashes between
/// the database's commit and the file's removal may leave an entry twice, never none).
/// </summary>
internal sealed class AuditJournal(string folder, TimeProvider clock) : IDisposable
{
    private const string Prefix = "audit-";
    private readonly ConcurrentQueue<(AuditEntry Entry, TaskCompletionSource Written)> _pending = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly SemaphoreSlim _draining = new(1, 1);
    private FileStream? _current;

    public string Folder => folder;

    public async Task AppendAsync(AuditEntry entry)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue((entry, written));
        while (!written.Task.IsCompleted)
        {
            await _writing.WaitAsync(); // not cancellable: an entry once queued is written, whoever's request it was
            try
            {
                if (written.Task.IsCompleted) break; // another caller's flush took ours along
                var batch = new List<(AuditEntry Entry, TaskCompletionSource Written)>();
                while (batch.Count < 5_000 && _pending.TryDequeue(out var next)) batch.Add(next);
                try
                {
                    _current ??= Open();
                    var lines = new StringBuilder();
                    foreach (var (e, _) in batch) lines.Append(JsonSerializer.Serialize(new Line(e.AtUtc, e.Actor, e.Action, e.CustomerId, e.Details))).Append('\n');
                    var bytes = Encoding.UTF8.GetBytes(lines.ToString());
                    await _current.WriteAsync(bytes);
                    // Into the operating system's hands, as SQLite's own commits are (WAL, synchronous=NORMAL): a crash of
                    // the process loses none; a power cut may lose the last moments, as it may the database's last commits.
                    await _current.FlushAsync();
                    foreach (var b in batch) b.Written.TrySetResult();
                }
                catch (Exception e)
                {
                    foreach (var b in batch) b.Written.TrySetException(e);
                }
            }
            finally
            {
                _writing.Release();
            }
        }
        await written.Task;
    }

    /// <summary>Hands every entry journaled so far (this process's, and files left by processes that are gone) to <paramref name="write"/>, then forgets them.</summary>
    public async Task<int> DrainAsync(Func<List<AuditEntry>, Task> write)
    {
        // One drain at a time in this process: a read of the log drains first, and must not return while the job's drain
        // still holds a file it has not committed (it would skip that file as another's, and read before the commit).
        await _draining.WaitAsync();
        try { return await DrainFilesAsync(write); }
        finally { _draining.Release(); }
    }

    private async Task<int> DrainFilesAsync(Func<List<AuditEntry>, Task> write)
    {
        // This process starts a new file; the one it wrote so far is drained with the others.
        await _writing.WaitAsync();
        try
        {
            _current?.Dispose();
            _current = null;
        }
        finally
        {
            _writing.Release();
        }
        if (!Directory.Exists(folder)) return 0;
        var moved = 0;
        foreach (var path in Directory.GetFiles(folder, Prefix + "*.jsonl").Order())
        {
            FileStream file;
            try { file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) { continue; } // another live process is writing it
            await using (file)
            {
                var entries = new List<AuditEntry>();
                using (var reader = new StreamReader(file, Encoding.UTF8, leaveOpen: true))
                    while (await reader.ReadLineAsync() is { } text)
                        if (text.Length > 0 && TryParse(text) is { } line) // a line cut short by a crash is the one entry whose caller got no answer
                            entries.Add(new AuditEntry { AtUtc = line.AtUtc, Actor = line.Actor, Action = line.Action, CustomerId = line.CustomerId, Details = line.Details });
                if (entries.Count > 0) await write(entries);
                File.Delete(path);
                moved += entries.Count;
            }
        }
        return moved;
    }

    private FileStream Open()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Prefix}{clock.GetUtcNow():yyyyMMddHHmmssfff}-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl");
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    private static Line? TryParse(string text)
    {
        try { return JsonSerializer.Deserialize<Line>(text); }
        catch (JsonException) { return null; }
    }

    private sealed record Line(DateTime AtUtc, string Actor, AuditAction Action, long? CustomerId, string? Details);

    public void Dispose() => _current?.Dispose();
}
