using System.Text.Json;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Web.Api;

/// <summary>POST /api/v1/events: a batch of channel events, each accepted, duplicate or rejected on its own.</summary>
internal static class EventsEndpoint
{
    public const int MaxBodyBytes = 5 * 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> PostAsync(HttpContext http, EventIngestionService ingestion, CancellationToken ct)
    {
        var body = await BodyReader.ReadLimitedAsync(http.Request, MaxBodyBytes, ct);
        if (body is null) return ApiProblems.TooLarge($"The request body is larger than {MaxBodyBytes / 1024 / 1024} MB. Send fewer events per request.");

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return ApiProblems.BadRequest($"The body is not valid JSON: {ex.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
                return ApiProblems.BadRequest("The body must be { \"events\": [ … ] }.");
            var count = events.GetArrayLength();
            if (count == 0) return ApiProblems.BadRequest("The events list is empty.");
            if (count > EventIngestionService.MaxBatch)
                return ApiProblems.TooLarge($"A batch holds at most {EventIngestionService.MaxBatch} events; this one has {count}.");

            // Each event is bound on its own: one malformed event is rejected, the others go on.
            var parsed = new List<EventRequest>(count);
            var bindErrors = new Dictionary<int, EventResult>();
            var index = 0;
            foreach (var element in events.EnumerateArray())
            {
                if (Bind(element, out var request, out var error)) parsed.Add(request!);
                else bindErrors[index] = error!;
                index++;
            }

            var applied = await ingestion.IngestAsync(http.User.Identity!.Name!, parsed, ct);
            var results = new List<EventResult>(count);
            var next = 0;
            for (var i = 0; i < count; i++)
                results.Add(bindErrors.TryGetValue(i, out var rejected) ? rejected : applied[next++]);
            return Results.Ok(new EventsResponse(results));
        }
    }

    private static bool Bind(JsonElement element, out EventRequest? request, out EventResult? error)
    {
        request = null;
        error = null;
        var eventId = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String
            ? JsonText.TryGetString(id) : null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = new EventResult(eventId, EventStatus.Rejected, null, [new FieldError("", "An event must be a JSON object.")]);
            return false;
        }
        try
        {
            request = element.Deserialize<EventRequest>(Json);
            return request is not null;
        }
        catch (InvalidOperationException)
        {
            // A text with a lone UTF-16 surrogate ("\ud800") is not Unicode: this event is rejected, the others go on.
            error = new EventResult(eventId, EventStatus.Rejected, null,
                [new FieldError("", "A text in this event is not valid Unicode (a lone UTF-16 surrogate such as \\ud800).")]);
            return false;
        }
        catch (JsonException ex)
        {
            var field = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
            error = new EventResult(eventId, EventStatus.Rejected, null,
                [new FieldError(field, $"'{field}' has a value of the wrong type (numbers are JSON numbers, texts are strings, consents are true/false).")]);
            return false;
        }
    }
}

internal static class JsonText
{
    /// <summary>The string, or null when it holds a lone UTF-16 surrogate (which .NET strings from JSON cannot carry).</summary>
    public static string? TryGetString(JsonElement element)
    {
        try { return element.GetString(); }
        catch (InvalidOperationException) { return null; }
    }
}

internal static class BodyReader
{
    /// <summary>The body as bytes, or null when it is longer than <paramref name="limit"/> (checked while reading, so chunked bodies are caught too).</summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
