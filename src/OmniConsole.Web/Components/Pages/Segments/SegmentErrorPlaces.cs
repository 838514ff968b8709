using System.Text.RegularExpressions;
using OmniConsole.Core.Segments;

namespace OmniConsole.Web.Components.Pages.Segments;

/// <summary>
/// A definition's errors placed on the builder's own nodes, so each condition shows its error at the field it is about.
/// The service names a place by its JSON path ("definition.all[1].value"), which is what the API answers; a person
/// editing the builder sees the condition and the field instead.
/// </summary>
public sealed partial class SegmentErrorPlaces
{
    public static readonly SegmentErrorPlaces None = new();

    private readonly Dictionary<SegmentNode, List<(string Field, string Message)>> _byNode = new(ReferenceEqualityComparer.Instance);

    /// <summary>Errors no node of the builder holds (the definition as a whole): shown above the builder.</summary>
    public List<string> Unplaced { get; } = [];

    /// <param name="root">The node the path's "definition" names.</param>
    public static SegmentErrorPlaces Place(SegmentNode root, IEnumerable<SegmentError> errors)
    {
        var places = new SegmentErrorPlaces();
        foreach (var error in errors)
        {
            if (Find(root, error.Field) is ({ } node, var field))
            {
                if (!places._byNode.TryGetValue(node, out var list)) places._byNode[node] = list = [];
                list.Add((field, error.Message));
            }
            else places.Unplaced.Add(error.Message);
        }
        return places;
    }

    /// <summary>The errors of one node: the field ("value", "op", a qualifier's name, or "" for the node itself) and the message.</summary>
    public IReadOnlyList<(string Field, string Message)> For(SegmentNode node) => _byNode.TryGetValue(node, out var list) ? list : [];

    [GeneratedRegex(@"\G(?:\.(?<group>all|any)\[(?<index>\d+)\]|\.(?<not>not)|\.(?<field>[A-Za-z]+)(?:\[\d+\])?)")]
    private static partial Regex Step();

    private static (SegmentNode? Node, string Field) Find(SegmentNode root, string path)
    {
        if (!path.StartsWith("definition", StringComparison.Ordinal)) return (null, "");
        var node = root;
        var at = "definition".Length;
        while (at < path.Length)
        {
            var step = Step().Match(path, at);
            if (!step.Success) return (null, "");
            at += step.Length;
            if (step.Groups["group"].Success)
            {
                var index = int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (index >= node.Children.Count) return (null, "");
                node = node.Children[index];
            }
            else if (step.Groups["not"].Success)
            {
                if (node.Kind != NodeKind.Not || node.Children.Count == 0) return (null, "");
                node = node.Children[0];
            }
            else return (node, step.Groups["field"].Value);
        }
        return (node, "");
    }
}
