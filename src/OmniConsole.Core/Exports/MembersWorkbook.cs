using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace OmniConsole.Core.Exports;

/// <summary>One member's line of the report.</summary>
public sealed record MemberLine(
    long CustomerId, string? FirstName, string? LastName, string? Phone, string? Email, string? CardNumber, string? City,
    string? Gender, int? Age, DateTime RegisteredAt, int Purchases, decimal Spent, decimal? AverageCheck, DateTime? LastPurchaseAt,
    string Channels, decimal ActivePoints, decimal PendingPoints, string Tier, string Consents);

/// <summary>
/// Writes the segment report as .xlsx row by row with OpenXML's streaming writer: memory stays flat however many members
/// there are (ClosedXML keeps every cell of the workbook in memory until it saves). Cells are typed — numbers, dates and
/// money as numbers with formats, text as inline strings — with a styled, frozen header, an autofilter and set column widths.
/// </summary>
public sealed class MembersWorkbook : IDisposable
{
    public static readonly IReadOnlyList<(string Header, double Width)> Columns =
    [
        ("Customer id", 12), ("First name", 16), ("Last name", 18), ("Phone", 17), ("E-mail", 28), ("Card", 16), ("City", 18),
        ("Gender", 9), ("Age", 6), ("Registered", 12), ("Purchases", 10), ("Spent, ₽", 14), ("Average check, ₽", 16),
        ("Last purchase", 14), ("Channels", 28), ("Active points", 13), ("Pending points", 14), ("Tier", 10), ("Consents", 26),
    ];

    // Style indexes in the stylesheet below.
    private const uint Header = 1, Date = 2, Money = 3, Whole = 4, Bold = 5;

    private readonly SpreadsheetDocument _document;
    private readonly OpenXmlWriter _members;
    private readonly WorksheetPart _membersPart;
    private int _row = 1;

    /// <param name="summary">label → value lines of the first sheet (values: string, decimal, int or DateTime)</param>
    public MembersWorkbook(Stream output, IReadOnlyList<(string Label, object Value)> summary)
    {
        _document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = _document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Styles();
        styles.Stylesheet.Save();

        var summaryPart = workbook.AddNewPart<WorksheetPart>();
        WriteSummary(summaryPart, summary);
        _membersPart = workbook.AddNewPart<WorksheetPart>();
        workbook.Workbook.AppendChild(new Sheets(
            new Sheet { Id = workbook.GetIdOfPart(summaryPart), SheetId = 1, Name = "Summary" },
            new Sheet { Id = workbook.GetIdOfPart(_membersPart), SheetId = 2, Name = "Members" }));
        workbook.Workbook.Save();

        _members = OpenXmlWriter.Create(_membersPart);
        _members.WriteStartElement(new Worksheet());
        _members.WriteElement(new SheetViews(new SheetView(new Pane
        {
            VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
        }) { WorkbookViewId = 0 }));
        _members.WriteElement(new DocumentFormat.OpenXml.Spreadsheet.Columns(Columns.Select((c, i) =>
            new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = c.Width, CustomWidth = true })));
        _members.WriteStartElement(new SheetData());
        WriteRow(Columns.Select(c => Cell.Text(c.Header, Header)));
    }

    /// <summary>Member rows written so far (the header not counted).</summary>
    public int RowsWritten => _row - 2;

    public void Add(MemberLine m) => WriteRow(
    [
        Cell.Number(m.CustomerId, Whole), Cell.Text(m.FirstName), Cell.Text(m.LastName), Cell.Text(m.Phone), Cell.Text(m.Email),
        Cell.Text(m.CardNumber), Cell.Text(m.City), Cell.Text(m.Gender), m.Age is { } age ? Cell.Number(age, Whole) : Cell.Empty,
        Cell.Date(m.RegisteredAt), Cell.Number(m.Purchases, Whole), Cell.Number(m.Spent, Money),
        m.AverageCheck is { } avg ? Cell.Number(avg, Money) : Cell.Empty, m.LastPurchaseAt is { } last ? Cell.Date(last) : Cell.Empty,
        Cell.Text(m.Channels), Cell.Number(m.ActivePoints, Money), Cell.Number(m.PendingPoints, Money), Cell.Text(m.Tier), Cell.Text(m.Consents),
    ]);

    /// <summary>Closes the members sheet with its autofilter and finishes the file.</summary>
    public void Complete()
    {
        _members.WriteEndElement(); // sheetData
        _members.WriteElement(new AutoFilter { Reference = $"A1:{ColumnName(Columns.Count)}{Math.Max(_row - 1, 1)}" });
        _members.WriteEndElement(); // worksheet
        _members.Close();
        _document.Dispose();
    }

    public void Dispose()
    {
        _members.Dispose();
        _document.Dispose();
    }

    private void WriteRow(IEnumerable<Cell> cells)
    {
        _members.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", _row.ToString(CultureInfo.InvariantCulture))]);
        var column = 0;
        foreach (var cell in cells)
        {
            column++;
            if (cell.Kind == CellKind.Empty) continue;
            cell.Write(_members, $"{ColumnName(column)}{_row}");
        }
        _members.WriteEndElement();
        _row++;
    }

    private static void WriteSummary(WorksheetPart part, IReadOnlyList<(string Label, object Value)> lines)
    {
        using var w = OpenXmlWriter.Create(part);
        w.WriteStartElement(new Worksheet());
        w.WriteElement(new DocumentFormat.OpenXml.Spreadsheet.Columns(
            new Column { Min = 1, Max = 1, Width = 18, CustomWidth = true }, new Column { Min = 2, Max = 2, Width = 100, CustomWidth = true }));
        w.WriteStartElement(new SheetData());
        var r = 1;
        foreach (var (label, value) in lines)
        {
            w.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", r.ToString(CultureInfo.InvariantCulture))]);
            Cell.Text(label, Bold).Write(w, $"A{r}");
            (value switch
            {
                DateTime t => Cell.Date(t),
                int i => Cell.Number(i, Whole),
                long l => Cell.Number(l, Whole),
                decimal d => Cell.Number(d, Money),
                _ => Cell.Text(value?.ToString()),
            }).Write(w, $"B{r}");
            w.WriteEndElement();
            r++;
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static Stylesheet Styles() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.00" }) { Count = 1 },
        new Fonts(new Font(), new Font(new Bold(), new Color { Rgb = "FFFFFFFF" }), new Font(new Bold())) { Count = 3 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FF1F4E79" }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true },                // header
            new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },                             // date
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },                            // money
            new CellFormat { NumberFormatId = 1, ApplyNumberFormat = true },                              // whole number
            new CellFormat { FontId = 2, ApplyFont = true }) { Count = 6 });                              // bold label

    internal static string ColumnName(int index)
    {
        var name = "";
        for (; index > 0; index = (index - 1) / 26) name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    private enum CellKind { Empty, Text, Number }

    private readonly record struct Cell(CellKind Kind, string Value, uint Style)
    {
        public static readonly Cell Empty = new(CellKind.Empty, "", 0);
        public static Cell Text(string? value, uint style = 0) => string.IsNullOrEmpty(value) ? Empty : new(CellKind.Text, Clean(value), style);
        public static Cell Number(decimal value, uint style) => new(CellKind.Number, value.ToString(CultureInfo.InvariantCulture), style);
        public static Cell Date(DateTime value) => new(CellKind.Number, value.ToOADate().ToString("R", CultureInfo.InvariantCulture), MembersWorkbook.Date);

        public void Write(OpenXmlWriter w, string reference)
        {
            var attributes = new List<OpenXmlAttribute> { new("r", "", reference) };
            if (Style != 0) attributes.Add(new("s", "", Style.ToString(CultureInfo.InvariantCulture)));
            if (Kind == CellKind.Text)
            {
                attributes.Add(new("t", "", "inlineStr"));
                w.WriteStartElement(new DocumentFormat.OpenXml.Spreadsheet.Cell(), attributes);
                w.WriteElement(new InlineString(new Text(Value) { Space = SpaceProcessingModeValues.Preserve }));
            }
            else
            {
                w.WriteStartElement(new DocumentFormat.OpenXml.Spreadsheet.Cell(), attributes);
                w.WriteElement(new CellValue(Value));
            }
            w.WriteEndElement();
        }

        // XML 1.0 cannot carry most control characters; a name typed with one must not break the file.
        private static string Clean(string s) => s.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r') || char.IsSurrogate(c))
            ? new string(s.Where((c, i) => !(char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                && !(char.IsHighSurrogate(c) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])))
                && !(char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1])))).ToArray())
            : s;
    }
}
