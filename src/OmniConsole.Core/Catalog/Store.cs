namespace OmniConsole.Core.Catalog;

public class Store
{
    public int Id { get; set; }
    /// <summary>The code tills send, e.g. <c>MSK-01</c>.</summary>
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? City { get; set; }
    public string? Address { get; set; }
}
