namespace OmniConsole.Core.Data;

/// <summary>
/// The secondary indexes of tables about to be bulk loaded: dropped before the load and each built once after it,
/// which is far faster than keeping them up to date row by row. Both families' data-set loaders use it.
/// </summary>
/// <param name="execute">runs one statement on the loader's connection</param>
public sealed class DeferredIndexes(Func<string, CancellationToken, Task> execute)
{
    private readonly List<(string Name, string Sql)> _dropped = [];

    /// <summary>Drops these indexes (name, the statement that makes it again), keeping their statements for <see cref="BuildAsync"/>.</summary>
    public async Task DropAsync(IEnumerable<(string Name, string Sql)> indexes, CancellationToken ct)
    {
        foreach (var (name, sql) in indexes)
        {
            await execute($"DROP INDEX {SqlNames.Quote(name)}", ct);
            _dropped.Add((name, sql));
        }
    }

    /// <summary>Builds what was dropped, in order, reporting each; a failed load calls it too, so the database keeps its indexes.</summary>
    public async Task BuildAsync(Action<string> onIndex, CancellationToken ct)
    {
        while (_dropped.Count > 0)
        {
            var (name, sql) = _dropped[0];
            onIndex(name);
            await execute(sql, ct);
            _dropped.RemoveAt(0);
        }
    }
}
