using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniConsole.Core.Exports;
using OmniConsole.Core.Segments;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Api;

/// <summary>
/// Segments and exports over HTTP (MANAGEMENT-API.md): the same <see cref="SegmentService"/> and <see cref="ExportService"/>
/// the builder and /reports call, audited as <c>api:{key name}</c>.
/// </summary>
public static class SegmentsEndpoints
{
    public sealed record CountResponse(int Count, int Total);
    public sealed record SegmentResponse(int SegmentId, string Name, string? Description, JsonNode? Definition, int Version, int Count, DateTime CreatedAt, string Owner, DateTime UpdatedAt);
    public sealed record SegmentListItem(int SegmentId, string Name, string? Description, int Version, int Count, DateTime CreatedAt, string Owner, DateTime UpdatedAt);
    public sealed record SegmentList(IReadOnlyList<SegmentListItem> Items);
    public sealed record MemberItem(long CustomerId, string? FirstName, string? LastName);
    public sealed record MembersResponse(IReadOnlyList<MemberItem> Items, long? Next);
    public sealed record ExportResponse(long ExportId, string Status, int RowsWritten, int? TotalRows, string? Error);
    public sealed record SegmentRequestDoc(string Name, string? Description, JsonObject Definition);
    public sealed record CountRequestDoc(JsonObject Definition);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/segments/count", CountAsync).WithSummary("Count a definition's members without saving it")
            .Accepts<CountRequestDoc>("application/json").Produces<CountResponse>().ProducesProblem(400).ProducesProblem(403);
        api.MapPost("/segments", CreateAsync).WithSummary("Save a new segment")
            .Accepts<SegmentRequestDoc>("application/json").Produces<SegmentResponse>(201).ProducesProblem(400).ProducesProblem(403);
        api.MapGet("/segments", ListAsync).WithSummary("Segments (without definitions), with their current counts").Produces<SegmentList>();
        api.MapGet("/segments/{segmentId:int}", GetAsync).WithSummary("A segment with its current count").Produces<SegmentResponse>().ProducesProblem(404);
        api.MapPut("/segments/{segmentId:int}", UpdateAsync).WithSummary("Save the segment's next version")
            .Accepts<SegmentRequestDoc>("application/json").Produces<SegmentResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        api.MapDelete("/segments/{segmentId:int}", ArchiveAsync).WithSummary("Archive a segment (409 while something uses it)")
            .Produces(204).ProducesProblem(404).ProducesProblem(409);
        api.MapGet("/segments/{segmentId:int}/history", HistoryAsync).WithSummary("The segment's size, recorded once a day (the last two years)")
            .Produces<SizeHistory>().ProducesProblem(404);
        api.MapGet("/segments/{segmentId:int}/members", MembersAsync).WithSummary("Members by customer id ascending; limit 1–1000, after = the previous page's next")
            .Produces<MembersResponse>().ProducesProblem(400).ProducesProblem(404);
    }

    /// <summary>Exports of a segment's members (key scope <c>exports</c>).</summary>
    public static void MapExports(RouteGroupBuilder api)
    {
        api.MapPost("/segments/{segmentId:int}/exports", ExportAsync).WithSummary("Start an Excel export of the segment's members")
            .Produces<ExportResponse>(202).ProducesProblem(404);
        api.MapGet("/exports/{exportId:long}", ExportStatusAsync).WithSummary("An export's status and progress").Produces<ExportResponse>().ProducesProblem(404);
        api.MapDelete("/exports/{exportId:long}", CancelExportAsync).WithSummary("Cancel a queued or running export").Produces<ExportResponse>().ProducesProblem(404).ProducesProblem(409);
        api.MapGet("/exports/{exportId:long}/file", ExportFileAsync).WithSummary("The finished .xlsx (409 until completed)")
            .Produces(200, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").ProducesProblem(404).ProducesProblem(409).ProducesProblem(410);
    }

    /// <summary>Staff download their finished exports through the app (signed in; administrators may fetch anyone's).</summary>
    public static void MapStaffDownloads(IEndpointRouteBuilder app) =>
        app.MapGet("/exports/{exportId:long}/download", async (long exportId, ClaimsPrincipal user, ExportService exports, CancellationToken ct) =>
        {
            var owner = user.IsInRole(Core.Staff.Roles.Administrator) ? null : user.Identity?.Name;
            if (await exports.GetAsync(exportId, owner, ct) is not { Status: ExportStatus.Completed } job || !File.Exists(exports.PathOf(exportId)))
                return Results.NotFound();
            return Results.File(exports.PathOf(exportId), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", job.FileName);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Core.Staff.Roles.Reports }).ExcludeFromDescription();


    private static async Task<IResult> CountAsync(HttpRequest request, SegmentService segments, CancellationToken ct)
    {
        var (body, error) = await ReadObjectAsync(request, ct);
        if (error is not null) return error;
        try
        {
            var count = await segments.CountAsync(SegmentService.ParseOrThrow(body!["definition"]), ct);
            return Results.Ok(new CountResponse(count.Members, count.Total));
        }
        catch (SegmentValidationException ex) { return Invalid(ex.Errors); }
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal user, SegmentService segments, CancellationToken ct)
    {
        var (input, error) = await ReadSegmentAsync(request, ct);
        if (error is not null) return error;
        try
        {
            var saved = await segments.CreateAsync(input!.Name, input.Description, input.Definition, user.ApiKeyName(), ct);
            var response = await ResponseAsync(segments, saved, ct);
            return Results.Created($"/api/v1/segments/{saved.Segment.Id}", response);
        }
        catch (SegmentValidationException ex) { return Invalid(ex.Errors); }
    }

    private static async Task<IResult> ListAsync(SegmentService segments, CancellationToken ct)
    {
        var items = new List<SegmentListItem>();
        foreach (var s in await segments.ListAsync(includeArchived: false, ct))
        {
            var details = await segments.GetAsync(s.Id, ct);
            var count = await TryCountAsync(segments, details!, ct);
            items.Add(new SegmentListItem(s.Id, s.Name, s.Description, s.Version, count, s.CreatedAtUtc, s.Owner, s.UpdatedAtUtc));
        }
        return Results.Ok(new SegmentList(items));
    }

    public sealed record SizeHistory(IReadOnlyList<SizeOnDay> Items);

    public sealed record SizeOnDay(DateOnly Date, int Count);

    private static async Task<IResult> HistoryAsync(int segmentId, SegmentService segments, CancellationToken ct) =>
        await segments.GetAsync(segmentId, ct) is { Segment.ArchivedAtUtc: null }
            ? Results.Ok(new SizeHistory((await segments.SizeHistoryAsync(segmentId, 730, ct)).Select(s => new SizeOnDay(s.Day, s.Count)).ToList()))
            : ApiProblems.NotFound($"There is no segment {segmentId}.");

    private static async Task<IResult> GetAsync(int segmentId, SegmentService segments, CancellationToken ct) =>
        await segments.GetAsync(segmentId, ct) is { Segment.ArchivedAtUtc: null } details
            ? Results.Ok(await ResponseAsync(segments, details, ct))
            : ApiProblems.NotFound($"There is no segment {segmentId}.");

    private static async Task<IResult> UpdateAsync(int segmentId, HttpRequest request, ClaimsPrincipal user, SegmentService segments, CancellationToken ct)
    {
        var (input, error) = await ReadSegmentAsync(request, ct);
        if (error is not null) return error;
        try
        {
            var saved = await segments.UpdateAsync(segmentId, input!.Name, input.Description, input.Definition, user.ApiKeyName(), ct);
            return saved is null ? ApiProblems.NotFound($"There is no segment {segmentId}.") : Results.Ok(await ResponseAsync(segments, saved, ct));
        }
        catch (SegmentValidationException ex) { return Invalid(ex.Errors); }
        catch (SegmentConflictException ex) { return Results.Problem(statusCode: 409, title: "Changed meanwhile", detail: ex.Message); }
    }

    private static async Task<IResult> ArchiveAsync(int segmentId, ClaimsPrincipal user, SegmentService segments, CancellationToken ct)
    {
        try
        {
            return await segments.ArchiveAsync(segmentId, user.ApiKeyName(), ct) ? Results.NoContent() : ApiProblems.NotFound($"There is no segment {segmentId}.");
        }
        catch (SegmentInUseException ex)
        {
            return Results.Problem(statusCode: 409, title: "Segment in use", detail: ex.Message);
        }
    }

    private static async Task<IResult> MembersAsync(int segmentId, HttpRequest request, SegmentService segments, CancellationToken ct)
    {
        var errors = new List<SegmentError>();
        var limit = 100;
        if (request.Query.TryGetValue("limit", out var l) && (!int.TryParse(l, out limit) || limit is < 1 or > 1000))
            errors.Add(new SegmentError("limit", "limit is a whole number from 1 to 1000."));
        long? after = null;
        if (request.Query.TryGetValue("after", out var a) && !string.IsNullOrEmpty(a))
        {
            if (long.TryParse(a, out var value) && value >= 0) after = value;
            else errors.Add(new SegmentError("after", "after is the previous page's next (a customer id)."));
        }
        if (errors.Count > 0) return Invalid(errors);
        if (await segments.GetAsync(segmentId, ct) is not { Segment.ArchivedAtUtc: null } details) return ApiProblems.NotFound($"There is no segment {segmentId}.");
        try
        {
            var page = await segments.MembersAsync(details.Definition, after, limit, ct, segmentId);
            return Results.Ok(new MembersResponse(page.Items.Select(m => new MemberItem(m.CustomerId, m.FirstName, m.LastName)).ToList(), page.Next));
        }
        catch (SegmentValidationException ex) { return Invalid(ex.Errors); }
    }

    private static async Task<IResult> ExportAsync(int segmentId, ClaimsPrincipal user, ExportService exports, CancellationToken ct) =>
        await exports.QueueAsync(segmentId, user.ApiKeyName(), fullContacts: true, ct) is { } job
            ? Results.Accepted($"/api/v1/exports/{job.Id}", Response(job))
            : ApiProblems.NotFound($"There is no segment {segmentId}.");

    private static async Task<IResult> ExportStatusAsync(long exportId, ClaimsPrincipal user, ExportService exports, CancellationToken ct) =>
        await exports.GetAsync(exportId, user.ApiKeyName(), ct) is { } job ? Results.Ok(Response(job)) : ApiProblems.NotFound($"There is no export {exportId} of this key.");

    private static async Task<IResult> CancelExportAsync(long exportId, ClaimsPrincipal user, ExportService exports, CancellationToken ct)
    {
        if (await exports.GetAsync(exportId, user.ApiKeyName(), ct) is null) return ApiProblems.NotFound($"There is no export {exportId} of this key.");
        if (!await exports.CancelAsync(exportId, user.ApiKeyName(), ct))
            return Results.Problem(statusCode: 409, title: "Export already finished", detail: $"Export {exportId} is no longer queued or running.");
        return Results.Ok(Response((await exports.GetAsync(exportId, user.ApiKeyName(), ct))!));
    }

    private static async Task<IResult> ExportFileAsync(long exportId, ClaimsPrincipal user, ExportService exports, CancellationToken ct)
    {
        if (await exports.GetAsync(exportId, user.ApiKeyName(), ct) is not { } job) return ApiProblems.NotFound($"There is no export {exportId} of this key.");
        if (job.Status == ExportStatus.Expired)
            return Results.Problem(statusCode: 410, title: "Export expired", detail: $"Export {exportId}'s file was deleted (past the retention period, or a customer it could list was erased); export the segment again.");
        if (job.Status != ExportStatus.Completed || !File.Exists(exports.PathOf(exportId)))
            return Results.Problem(statusCode: 409, title: "Export not ready", detail: $"Export {exportId} is {Status(job.Status)}; the file is there once it is completed.");
        return Results.File(exports.PathOf(exportId), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", job.FileName);
    }

    public static string Status(ExportStatus status) => status.ToString().ToLowerInvariant();

    private static ExportResponse Response(ExportJob job) => new(job.Id, Status(job.Status), job.RowsWritten, job.TotalRows, job.Error);

    private static async Task<SegmentResponse> ResponseAsync(SegmentService segments, SegmentService.Details d, CancellationToken ct) =>
        new(d.Segment.Id, d.Segment.Name, d.Segment.Description, JsonNode.Parse(d.DefinitionJson), d.Segment.Version,
            await TryCountAsync(segments, d, ct), d.Segment.CreatedAtUtc, d.Segment.Owner, d.Segment.UpdatedAtUtc);

    // A saved segment that refers to one archived since cannot be evaluated: it counts no one rather than failing the list.
    private static async Task<int> TryCountAsync(SegmentService segments, SegmentService.Details d, CancellationToken ct)
    {
        try { return (await segments.CountAsync(d.Definition, ct, d.Segment.Id)).Members; }
        catch (SegmentValidationException) { return 0; }
    }

    private sealed record SegmentInput(string? Name, string? Description, SegmentNode Definition);

    /// <summary>The body of a create or update: name, description and a valid definition, or the 4xx that says what is wrong.</summary>
    private static async Task<(SegmentInput? Input, IResult? Error)> ReadSegmentAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, error) = await ReadObjectAsync(request, ct);
        if (error is not null) return (null, error);
        var (name, description, errors) = NameAndDescription(body!);
        var definition = Parse(body!["definition"], errors);
        return errors.Count > 0 ? (null, Invalid(errors)) : (new SegmentInput(name, description, definition!), null);
    }

    private static (string? Name, string? Description, List<SegmentError> Errors) NameAndDescription(JsonObject body)
    {
        var errors = new List<SegmentError>();
        string? Text(string field)
        {
            var node = body[field];
            if (node is null) return null;
            if (SegmentDefinitionText(node) is { } text) return text;
            errors.Add(new SegmentError(field, $"{field} is a text."));
            return null;
        }
        var name = Text("name");
        if (string.IsNullOrWhiteSpace(name) && !errors.Any(e => e.Field == "name")) errors.Add(new SegmentError("name", "A segment needs a name of 1 to 200 characters."));
        return (name, Text("description"), errors);
    }

    // A string that is valid Unicode, or null (a lone surrogate is reported as a wrong value, not a 500).
    private static string? SegmentDefinitionText(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return null;
        try { return v.GetValue<string>(); }
        catch (InvalidOperationException) { return null; }
    }

    private static SegmentNode? Parse(JsonNode? definition, List<SegmentError> errors)
    {
        var parsed = SegmentDefinition.Parse(definition);
        errors.AddRange(parsed.Errors);
        return parsed.Node;
    }

    private static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Results.Problem(statusCode: 415, title: "Unsupported media type", detail: "Send the body as application/json."));
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 128 }, cancellationToken: ct);
            return node is JsonObject obj ? (obj, null) : (null, Invalid([new SegmentError("", "The body is a JSON object.")]));
        }
        catch (JsonException ex)
        {
            return (null, Invalid([new SegmentError("", $"The body is not valid JSON: {ex.Message}")]));
        }
    }

    /// <summary>400 with problem details whose <c>errors</c> is a list of { field, message } (MANAGEMENT-API.md).</summary>
    internal static IResult Invalid(IReadOnlyList<SegmentError> errors) =>
        Results.Problem(statusCode: 400, title: "The request is not valid.",
            detail: string.Join(" ", errors.Select(e => e.Field.Length == 0 ? e.Message : $"{e.Field}: {e.Message}")),
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { field = e.Field, message = e.Message }).ToList() });
}
