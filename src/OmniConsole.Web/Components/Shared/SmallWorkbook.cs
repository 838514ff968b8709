using ClosedXML.Excel;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// How the app writes its small Excel files (the loyalty, feedback and campaign reports, a page of the audit log, a
/// customer's data, a promo campaign's codes): ClosedXML, typed cells, sheet names fitted to Excel's rules, a bold
/// frozen header. Segment exports, up to a million rows, are written by Core's streaming <c>MembersWorkbook</c>
/// instead: ClosedXML holds the whole workbook in memory, which is fine for these and not for a million rows.
/// </summary>
public static class SmallWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>A sheet whose name fits Excel's rules (<see cref="SheetNames.Fit"/>) in any language.</summary>
    public static IXLWorksheet Sheet(XLWorkbook book, string name) => book.Worksheets.Add(SheetNames.Fit(name));

    /// <summary>A sheet of one table: a bold header row that stays in sight, then the rows (<see cref="Row"/>).</summary>
    public static IXLWorksheet Table(XLWorkbook book, string name, IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        var sheet = Sheet(book, name);
        Row(sheet, 1, [.. headers]);
        Header(sheet, 1);
        var r = 2;
        foreach (var row in rows) Row(sheet, r++, row);
        return sheet;
    }

    /// <summary>
    /// Writes the values from the first column on, as typed cells: numbers stay numbers, times are dates (with the time
    /// unless at midnight), text stays text even when it looks like a number or a date; null leaves the cell empty.
    /// </summary>
    public static IXLRow Row(IXLWorksheet sheet, int row, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var cell = sheet.Cell(row, i + 1);
            switch (values[i])
            {
                case null: break;
                case DateTime at:
                    cell.Value = at;
                    cell.Style.DateFormat.Format = at.TimeOfDay == TimeSpan.Zero ? "yyyy-mm-dd" : "yyyy-mm-dd hh:mm";
                    break;
                case string text:
                    cell.Value = text;
                    cell.DataType = XLDataType.Text;
                    break;
                default: cell.Value = values[i]; break;
            }
        }
        return sheet.Row(row);
    }

    /// <summary>Row <paramref name="row"/> bold, and the rows down to it kept in sight when scrolling.</summary>
    public static void Header(IXLWorksheet sheet, int row)
    {
        sheet.Row(row).Style.Font.Bold = true;
        sheet.SheetView.FreezeRows(row);
    }

    /// <summary>The workbook as a download named <paramref name="fileName"/>.</summary>
    public static IResult Download(XLWorkbook book, string fileName)
    {
        var file = new MemoryStream();
        book.SaveAs(file);
        file.Position = 0;
        return Results.File(file, ContentType, fileName);
    }
}
