using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Exports;

/// <summary>One member's line of the report.</summary>
public sealed record MemberLine(
    long CustomerId, string? FirstName, string? LastName, string? Phone, string? Email, string? CardNumber, string? City,
    string? Gender, int? Age, DateTime RegisteredAt, int Purchases, decimal Spent, decimal? AverageCheck, DateTime? LastPurchaseAt,
    string Channels, decimal ActivePoints, decimal PendingPoints, string Tier, string Consents);

/// <summary>
/// Writes the segment report as .xlsx (SpreadsheetML in a zip) row by row, straight into the output: the zip is written
/// in create mode, one part after another, and each row goes out as it is added, so memory stays flat however many
/// members there are. ClosedXML keeps every cell of a workbook in memory until it saves, and the OpenXML SDK 2.x that
/// ClosedXML 0.95 brings opens packages in zip update mode, which keeps each part in memory until the file is closed.
/// Cells are typed — numbers, dates and money as numbers with formats, text as inline strings — with a styled, frozen
/// header, an autofilter and set column widths.
/// </summary>
public sealed class MembersWorkbook : IDisposable
{
    /// <summary>The members sheet's columns: the key of the header's words (<see cref="IExportText"/>, <c>xlsx.col.</c>…) and the width.</summary>
    public static readonly IReadOnlyList<(string Header, double Width)> Columns =
    [
        ("Customer id", 12), ("First name", 16), ("Last name", 18), ("Phone", 17), ("E-mail", 28), ("Card", 16), ("City", 18),
        ("Gender", 9), ("Age", 6), ("Registered", 12), ("Purchases", 10), ("Spent, ₽", 14), ("Average check, ₽", 16),
        ("Last purchase", 14), ("Channels", 28), ("Active points", 13), ("Pending points", 14), ("Tier", 10), ("Consents", 26),
    ];

    // Cell formats (cellXfs) of the stylesheet below.
    private const int Header = 1, Date = 2, Money = 3, Whole = 4, Bold = 5;
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private readonly ZipArchive _zip;
    private readonly Stream _sheetStream;
    private readonly XmlWriter _sheet;
    private int _row = 1;

    /// <param name="summary">label → value lines of the first sheet (values: string, decimal, int, long or DateTime)</param>
    /// <param name="text">the words of sheet names and headers (English without it)</param>
    public MembersWorkbook(Stream output, IReadOnlyList<(string Label, object Value)> summary, IExportText? text = null)
    {
        text ??= new EnglishExportText();
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Part("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
            <Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
            </Types>
            """);
        Part("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
            </Relationships>
            """);
        Part("xl/workbook.xml", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="{Main}" xmlns:r="{Rel}">
            <sheets><sheet name="{SecurityElementEscape(text["xlsx.Summary"])}" sheetId="1" r:id="rId1"/><sheet name="{SecurityElementEscape(text["xlsx.Members"])}" sheetId="2" r:id="rId2"/></sheets>
            </workbook>
            """);
        Part("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
            <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
            </Relationships>
            """);
        Part("xl/styles.xml", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="{Main}">
            <numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>
            <fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
            <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF1F4E79"/></patternFill></fill></fills>
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
            <cellXfs count="6">
            <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
            <xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>
            <xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
            <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
            <xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
            <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
            </cellXfs>
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
            </styleSheet>
            """);
        WriteSummary(summary);

        _sheetStream = _zip.CreateEntry("xl/worksheets/sheet2.xml", CompressionLevel.Fastest).Open();
        _sheet = XmlWriter.Create(_sheetStream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CheckCharacters = false });
        _sheet.WriteStartDocument(true);
        _sheet.WriteStartElement("worksheet", Main);
        _sheet.WriteStartElement("sheetViews", Main);
        _sheet.WriteStartElement("sheetView", Main);
        _sheet.WriteAttributeString("workbookViewId", "0");
        _sheet.WriteStartElement("pane", Main);
        _sheet.WriteAttributeString("ySplit", "1");
        _sheet.WriteAttributeString("topLeftCell", "A2");
        _sheet.WriteAttributeString("activePane", "bottomLeft");
        _sheet.WriteAttributeString("state", "frozen");
        _sheet.WriteEndElement();
        _sheet.WriteEndElement();
        _sheet.WriteEndElement();
        WriteColumns(_sheet, Columns.Select(c => c.Width));
        _sheet.WriteStartElement("sheetData", Main);
        WriteRow(_sheet, _row++, Columns.Select(c => Cell.Text(text[$"xlsx.col.{c.Header}"], Header)));
    }

    /// <summary>Member rows written so far (the header not counted).</summary>
    public int RowsWritten => _row - 2;

    public void Add(MemberLine m) => WriteRow(_sheet, _row++,
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
        _sheet.WriteEndElement(); // sheetData
        _sheet.WriteStartElement("autoFilter", Main);
        _sheet.WriteAttributeString("ref", $"A1:{ColumnName(Columns.Count)}{Math.Max(_row - 1, 1)}");
        _sheet.WriteEndElement();
        _sheet.WriteEndElement(); // worksheet
        _sheet.WriteEndDocument();
        _sheet.Flush();
        Dispose();
    }

    public void Dispose()
    {
        _sheet.Dispose();
        _sheetStream.Dispose();
        _zip.Dispose(); // writes the zip's central directory; an unfinished export's file is deleted by the caller
    }

    private void Part(string name, string xml)
    {
        using var stream = _zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = new UTF8Encoding(false).GetBytes(xml.Trim());
        stream.Write(bytes);
    }

    private void WriteSummary(IReadOnlyList<(string Label, object Value)> lines)
    {
        using var stream = _zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
        using var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CheckCharacters = false });
        w.WriteStartDocument(true);
        w.WriteStartElement("worksheet", Main);
        WriteColumns(w, [18, 100]);
        w.WriteStartElement("sheetData", Main);
        var r = 1;
        foreach (var (label, value) in lines)
            WriteRow(w, r++,
            [
                Cell.Text(label, Bold),
                value switch
                {
                    DateTime t => Cell.Date(t),
                    int i => Cell.Number(i, Whole),
                    long l => Cell.Number(l, Whole),
                    decimal d => Cell.Number(d, Money),
                    _ => Cell.Text(value?.ToString()),
                },
            ]);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteColumns(XmlWriter w, IEnumerable<double> widths)
    {
        w.WriteStartElement("cols", Main);
        var i = 0;
        foreach (var width in widths)
        {
            i++;
            w.WriteStartElement("col", Main);
            w.WriteAttributeString("min", i.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("max", i.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("width", width.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("customWidth", "1");
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void WriteRow(XmlWriter w, int row, IEnumerable<Cell> cells)
    {
        var r = row.ToString(CultureInfo.InvariantCulture);
        w.WriteStartElement("row", Main);
        w.WriteAttributeString("r", r);
        var column = 0;
        foreach (var cell in cells)
        {
            column++;
            if (cell.Kind == CellKind.Empty) continue;
            w.WriteStartElement("c", Main);
            w.WriteAttributeString("r", ColumnName(column) + r);
            if (cell.Style != 0) w.WriteAttributeString("s", cell.Style.ToString(CultureInfo.InvariantCulture));
            if (cell.Kind == CellKind.Text)
            {
                w.WriteAttributeString("t", "inlineStr");
                w.WriteStartElement("is", Main);
                w.WriteStartElement("t", Main);
                w.WriteAttributeString("xml", "space", null, "preserve");
                w.WriteString(cell.Value);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            else
            {
                w.WriteElementString("v", Main, cell.Value);
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static string SecurityElementEscape(string s) => System.Security.SecurityElement.Escape(s) ?? "";

    internal static string ColumnName(int index)
    {
        var name = "";
        for (; index > 0; index = (index - 1) / 26) name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    private enum CellKind { Empty, Text, Number }

    private readonly record struct Cell(CellKind Kind, string Value, int Style)
    {
        public static readonly Cell Empty = new(CellKind.Empty, "", 0);
        public static Cell Text(string? value, int style = 0) => string.IsNullOrEmpty(value) ? Empty : new(CellKind.Text, Clean(value), style);
        public static Cell Number(decimal value, int style) => new(CellKind.Number, value.ToString(CultureInfo.InvariantCulture), style);
        public static Cell Date(DateTime value) => new(CellKind.Number, value.ToOADate().ToString("R", CultureInfo.InvariantCulture), MembersWorkbook.Date);

        // XML 1.0 cannot carry most control characters or a lone surrogate; a name typed with one must not break the file.
        private static string Clean(string s)
        {
            if (!s.Any(c => char.IsControl(c) || char.IsSurrogate(c))) return s;
            var b = new StringBuilder(s.Length);
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { b.Append(c).Append(s[++i]); continue; }
                if (char.IsSurrogate(c) || (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))) continue;
                b.Append(c);
            }
            return b.ToString();
        }
    }
}
