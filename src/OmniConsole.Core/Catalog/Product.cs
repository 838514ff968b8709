namespace OmniConsole.Core.Catalog;

public class Product
{
    public int Id { get; set; }
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Category { get; set; }
    public string? Brand { get; set; }
    public long PriceMinor { get; set; }
}
