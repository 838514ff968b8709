using Mono.Cecil;
using Mono.Cecil.Cil;

namespace OmniConsole.Core.Tests;

/// <summary>
/// Capability folders of Core (Campaigns, Channels, Segments, …; a folder is its namespace) depend on Common and on what
/// they use, without cycles: a change to one capability's rules then never has to reach back through another.
/// <list type="bullet">
/// <item>What counts is the behaviour: services, rules, texts. The one shared EF model — its entities and the enums and
/// value types they hold — is the foundation every capability reads and writes (a purchase's row knows its customer),
/// so a use of a model type is not a dependency on the capability whose folder holds it.</item>
/// <item>The graph is read from the compiled assembly with Mono.Cecil (signatures, fields, attributes and method bodies,
/// so a service used only inside a method counts), which a reflection walk over signatures would miss.</item>
/// </list>
/// </summary>
public sealed class ArchitectureTests
{
    private const string Root = "OmniConsole.Core";

    /// <summary>
    /// Not capabilities: the composition root (<c>OmniConsole.Core</c> itself: options and the service registrations, which
    /// name every capability) and <c>Data</c>, the one EF model whose context holds every capability's tables. Both are
    /// foundations every capability may use; neither is a place where rules live.
    /// </summary>
    private static readonly HashSet<string> Foundations = ["", "Data"];

    [Fact]
    public void CapabilityFoldersHaveNoDependencyCycles()
    {
        var graph = CapabilityGraph(typeof(Core.Data.OmniConsoleDbContext).Assembly.Location, ModelTypes());
        Assert.True(graph.Count >= 10, $"the capability graph was read: {string.Join(", ", graph.Keys)}");
        // OMNI_ARCH_DUMP=<file> writes every edge with an example of it, to see where a cycle comes from.
        if (Environment.GetEnvironmentVariable("OMNI_ARCH_DUMP") is { } dump)
            File.WriteAllLines(dump, graph.SelectMany(g => g.Value.Select(e => $"{g.Key} -> {e.Key}: {e.Value}")).Order());
        var cycles = Cycles(graph);
        Assert.True(cycles.Count == 0, "Capability folders depend on each other in a cycle: " +
            string.Join("; ", cycles.Select(c => string.Join(" ↔ ", c) + " (" + Explain(graph, c) + ")")));
    }

    [Fact]
    public void ACycleIsFound()
    {
        // The finder itself, on a graph with one injected cycle (Campaigns → Channels → Campaigns) beside a chain.
        var graph = new Dictionary<string, Dictionary<string, string>>
        {
            ["Campaigns"] = new() { ["Channels"] = "Campaigns.X uses Channels.Y", ["Common"] = "" },
            ["Channels"] = new() { ["Campaigns"] = "Channels.Y uses Campaigns.X" },
            ["Segments"] = new() { ["Common"] = "" },
            ["Common"] = new(),
        };
        var cycle = Assert.Single(Cycles(graph));
        Assert.Equal(["Campaigns", "Channels"], cycle.Order());
        graph["Channels"].Remove("Campaigns");
        Assert.Empty(Cycles(graph));
    }

    /// <summary>Capability → the capabilities it uses, each with one example of a use (for the failure message).</summary>
    private static Dictionary<string, Dictionary<string, string>> CapabilityGraph(string assemblyPath, HashSet<string> model)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var graph = new Dictionary<string, Dictionary<string, string>>();
        bool IsModel(TypeReference t) => model.Contains(Outermost(t).FullName) || (t.Resolve() is { } d && (d.IsEnum || (d.IsValueType && d.Module == module && d.Namespace.EndsWith(".Common", StringComparison.Ordinal))));
        foreach (var type in module.GetTypes())
        {
            if (CapabilityOf(Outermost(type).Namespace) is not { } from || IsModel(type)) continue;
            var uses = graph.TryGetValue(from, out var u) ? u : graph[from] = [];
            foreach (var used in TypesUsedBy(type))
            {
                if (used.Module != module) continue; // another assembly
                if (IsModel(used) || CapabilityOf(Outermost(used).Namespace) is not { } to || to == from) continue;
                uses.TryAdd(to, $"{type.FullName} uses {used.FullName}");
            }
        }
        return graph;
    }

    /// <summary>The EF model's classes (entities and what they own or hold as JSON), by full name.</summary>
    private static HashSet<string> ModelTypes()
    {
        using var db = new Core.Data.OmniConsoleDbContext(Core.Data.DbContextOptionsSetup.Standalone(Core.Data.DatabaseProvider.Sqlite, "Data Source=:memory:"));
        var names = new HashSet<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var type = entity.ClrType;
            while (type.DeclaringType is { } outer) type = outer;
            if (type.Assembly == typeof(Core.Data.OmniConsoleDbContext).Assembly) names.Add(type.FullName!);
            foreach (var property in entity.GetProperties()) AddHeld(property.ClrType);
        }
        return names;

        // A value held as JSON (an event's payload), with the values it holds in turn.
        void AddHeld(Type held)
        {
            held = Nullable.GetUnderlyingType(held) ?? held;
            if (held.IsGenericType) { foreach (var a in held.GetGenericArguments()) AddHeld(a); return; }
            if (held.IsArray) { AddHeld(held.GetElementType()!); return; }
            if (held.Assembly != typeof(Core.Data.OmniConsoleDbContext).Assembly || held.IsEnum || !names.Add(held.FullName!)) return;
            foreach (var p in held.GetProperties()) AddHeld(p.PropertyType);
        }
    }

    private static string? CapabilityOf(string ns)
    {
        if (ns != Root && !ns.StartsWith(Root + ".", StringComparison.Ordinal)) return null;
        var capability = ns == Root ? "" : ns[(Root.Length + 1)..].Split('.')[0];
        return Foundations.Contains(capability) ? null : capability;
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    private static IEnumerable<TypeReference> TypesUsedBy(TypeDefinition type)
    {
        var seen = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            if (t is null) return;
            if (t is GenericInstanceType g) { Add(g.ElementType); foreach (var a in g.GenericArguments) Add(a); return; }
            if (t is TypeSpecification spec) { Add(spec.ElementType); return; }
            if (t is GenericParameter) return;
            seen.Add(t);
        }
        void AddAttributes(ICustomAttributeProvider provider)
        {
            if (!provider.HasCustomAttributes) return;
            foreach (var a in provider.CustomAttributes) Add(a.AttributeType);
        }
        Add(type.BaseType);
        foreach (var i in type.Interfaces) Add(i.InterfaceType);
        AddAttributes(type);
        foreach (var f in type.Fields) { Add(f.FieldType); AddAttributes(f); }
        foreach (var p in type.Properties) { Add(p.PropertyType); AddAttributes(p); }
        foreach (var m in type.Methods)
        {
            Add(m.ReturnType);
            foreach (var p in m.Parameters) Add(p.ParameterType);
            AddAttributes(m);
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) Add(v.VariableType);
            foreach (var instruction in m.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t: Add(t); break;
                    case MethodReference mr:
                        Add(mr.DeclaringType);
                        Add(mr.ReturnType);
                        foreach (var p in mr.Parameters) Add(p.ParameterType);
                        if (mr is GenericInstanceMethod gm) foreach (var a in gm.GenericArguments) Add(a);
                        break;
                    case FieldReference fr: Add(fr.DeclaringType); Add(fr.FieldType); break;
                }
            }
        }
        return seen;
    }

    /// <summary>The strongly connected groups of more than one capability (Tarjan's algorithm): each is a cycle.</summary>
    private static List<List<string>> Cycles(Dictionary<string, Dictionary<string, string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var found = new List<List<string>>();
        var next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var group = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); group.Add(x); } while (x != v);
            if (group.Count > 1) found.Add(group);
        }
        foreach (var v in graph.Keys.Order()) if (!index.ContainsKey(v)) Visit(v);
        return found;
    }

    private static string Explain(Dictionary<string, Dictionary<string, string>> graph, List<string> cycle) =>
        string.Join("; ", cycle.SelectMany(from => graph[from].Where(e => cycle.Contains(e.Key)).Select(e => e.Value)));
}
