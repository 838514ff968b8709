using System.Text.RegularExpressions;
using System.Xml.Linq;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Web.Tests;

/// <summary>Every string the UI shows has an English and a Russian resource.</summary>
public sealed class LocalizationTests
{
    private static readonly string Root = FindRoot();
    private static readonly string WebDir = Path.Combine(Root, "src", "OmniConsole.Web");

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(WebDir, "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    /// <summary>Keys written in the code: L["…"], labels passed to shared components, nav items, timeline templates.</summary>
    private static IEnumerable<string> KeysInCode()
    {
        foreach (var file in Directory.EnumerateFiles(WebDir, "*.*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".razor") || f.EndsWith(".cs")) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in Regex.Matches(text, "L\\[\"((?:[^\"\\\\]|\\\\.)*)\"")) yield return m.Groups[1].Value;
            foreach (Match m in Regex.Matches(text, "(?:Title|Description|Label)=\"([A-Z][^\"@]*)\"")) yield return m.Groups[1].Value;
            foreach (Match m in Regex.Matches(text, "\\bHint=\"([^\"@]+)\"")) yield return m.Groups[1].Value;
            foreach (Match m in Regex.Matches(text, "new\\(\"/[^\"]*\", \"([^\"]+)\"")) yield return m.Groups[1].Value;
        }
        var timeline = File.ReadAllText(Path.Combine(Root, "src", "OmniConsole.Core", "Timeline", "TimelineText.cs"));
        foreach (Match m in Regex.Matches(timeline, "\\b[TF]\\(\"((?:[^\"\\\\]|\\\\.)*)\"")) yield return m.Groups[1].Value;
        foreach (var c in Enum.GetValues<Channel>()) yield return c.ApiName();
        foreach (var t in Enum.GetValues<EventType>()) yield return t.ApiName();
        foreach (var a in Enum.GetValues<AuditAction>()) yield return a.ToString();
        foreach (var t in AuditText.Templates) yield return t;
        foreach (var t in OmniConsole.Core.Loyalty.LedgerNotes.Known.Templates) yield return t;
        foreach (var key in ServiceMessageTextTests.ResourceKeys()) yield return key;
    }

    [Theory]
    [InlineData("SharedResource.resx")]
    [InlineData("SharedResource.ru.resx")]
    public void EveryStringInTheCodeHasAResource(string file)
    {
        var resources = Load(file);
        var missing = KeysInCode().Distinct().Where(k => !resources.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"{file} lacks: {string.Join(" | ", missing)}");
    }

    [Fact]
    public void RussianResourcesAreTranslatedAndKeysDoNotCollideByCase()
    {
        var en = Load("SharedResource.resx");
        var ru = Load("SharedResource.ru.resx");
        Assert.Equal(en.Keys.Order(), ru.Keys.Order());
        Assert.DoesNotContain(en.Keys.GroupBy(k => k.ToLowerInvariant()), g => g.Count() > 1);
        Assert.Contains(ru.Values, v => v.Any(c => c is >= 'а' and <= 'я'));
        // A placeholder's format too: {1:campaign-} names the vocabulary of a service message's word.
        const string placeholder = "\\{\\d+(?::[^}]*)?\\}";
        Assert.All(ru.Where(p => Regex.IsMatch(p.Key, placeholder)), p =>
            Assert.Equal(Regex.Matches(p.Key, placeholder).Select(m => m.Value).Order(), Regex.Matches(p.Value, placeholder).Select(m => m.Value).Order()));
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OmniConsole.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }
}
