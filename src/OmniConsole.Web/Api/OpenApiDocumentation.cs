using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OmniConsole.Web.Api;

/// <summary>
/// What the served OpenAPI document needs beyond what endpoint metadata gives: the X-Api-Key scheme, the query
/// parameters the read endpoints take from the query string themselves (so bad values still get problem details),
/// and nothing but the API (the UI's own endpoints are not part of the contract). docs/channel-api.md is the prose.
/// </summary>
internal static class OpenApiDocumentation
{
    public const string ApiKeyScheme = "ApiKey";

    private static readonly Dictionary<string, OpenApiParameter[]> QueryParameters = new()
    {
        ["api/v1/customers/lookup"] =
        [
            Query("phone", "A phone in any common format (8 (916) 123-45-67, +7 916 1234567); normalised to E.164 with the default region."),
            Query("email", "An e-mail address; trimmed and lower-cased before matching."),
            Query("cardNumber", "A loyalty card number; spaces are ignored."),
            Query("externalId", "The customer's id in the calling key's own system."),
        ],
        ["api/v1/customers/{customerId}/timeline"] =
        [
            Query("limit", "Items per page, 1–500 (default 50).", JsonSchemaType.Integer),
            Query("before", "The nextBefore of the previous page: continues exactly where it ended."),
            Query("channel", "Only these channels; repeat the parameter for several (channel=store&channel=online).", JsonSchemaType.String, repeatable: true),
        ],
        ["api/v1/segments/{segmentId}/members"] =
        [
            Query("limit", "Members per page, 1–1000 (default 100).", JsonSchemaType.Integer),
            Query("after", "The next of the previous page (a customer id): continues after it.", JsonSchemaType.Integer),
        ],
    };

    public static void Configure(OpenApiOptions o)
    {
        o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "OmniConsole API";
            doc.Info.Version = "v1";
            doc.Info.Description = "Channel systems (tills, the online shop, the app, message providers) push events and read customers (key scope channel); "
                + "integrations manage segments (key scope segments), export their members (exports), earning rules, tiers and promo codes (loyalty) "
                + "and campaigns (campaigns); the scope management stands for all four. Each operation names the scope it needs; without it the answer is 403. "
                + "Every call carries an API key in the X-Api-Key header. Errors are RFC 7807 problem details. The guide: docs/channel-api.md.";
            doc.Components ??= new OpenApiComponents();
            doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
                Description = "A key an administrator created on /admin/api-keys, or one from OmniConsole:ApiKeys.",
            };
            doc.Security ??= [];
            doc.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, doc)] = [] });
            return Task.CompletedTask;
        });
        o.AddSchemaTransformer((schema, context, _) =>
        {
            // A channel is written by its API name (ChannelJsonConverter): say so, or the schema reads as "anything".
            if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(Core.Common.Channel))
            {
                schema.Type = JsonSchemaType.String;
                schema.Enum = [.. Core.Common.ChannelNames.ClientChannels.Select(c => (System.Text.Json.Nodes.JsonNode)Core.Common.ChannelNames.ApiName(c))];
            }
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ChannelApiSetup.ApiScopeMetadata>().LastOrDefault() is { } scope)
                operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : " ")}Key scope: {scope.Scope}.";
            if (QueryParameters.TryGetValue(context.Description.RelativePath ?? "", out var parameters))
            {
                operation.Parameters ??= [];
                foreach (var p in parameters) operation.Parameters.Add(p);
            }
            return Task.CompletedTask;
        });
    }

    private static OpenApiParameter Query(string name, string description, JsonSchemaType type = JsonSchemaType.String, bool repeatable = false) => new()
    {
        Name = name, In = ParameterLocation.Query, Description = description,
        Schema = repeatable ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = type } } : new OpenApiSchema { Type = type },
        Style = repeatable ? ParameterStyle.Form : null, Explode = repeatable,
    };
}
