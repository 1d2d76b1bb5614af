using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// Says what a request the framework could not bind got wrong, in the wire's terms. The framework's messages name the
/// handler's parameter with its .NET type ("Failed to bind parameter \"Nullable&lt;long&gt; start\" from \"x\""); the
/// parameter is looked up on the endpoint to name the query parameter, header, path segment, form field or JSON path
/// instead, and to say what it takes.
/// </summary>
internal static partial class BindingErrors
{
    /// <summary>The field at fault (null for the request as a whole) and a detail naming no .NET type.</summary>
    public static (string? Field, string Detail) Describe(HttpContext context, Endpoint? endpoint, BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (null, MediaTypes.Expectation(endpoint));
        }

        if (bad.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            return (null, "The request body arrived too slowly.");
        }

        var match = ParameterInMessage().Match(bad.Message);
        if (!match.Success)
        {
            // Kestrel's own messages ("Unexpected end of request content.") speak HTTP, not .NET.
            return (null, bad.Message);
        }

        var declared = match.Groups["declared"].Value;
        var parameter = Find(endpoint, declared[(declared.LastIndexOf(' ') + 1)..]);
        var (source, name) = parameter is null ? (Source.Body, null) : SourceOf(endpoint, parameter);
        var wire = name ?? parameter?.Name ?? "";
        var subject = source switch
        {
            Source.Query => $"Query parameter '{wire}'",
            Source.Header => $"Header '{wire}'",
            Source.Route => $"Path segment '{{{wire}}}'",
            Source.Form => $"Form field '{wire}'",
            _ => "The body",
        };

        if (source == Source.Body)
        {
            if (bad.InnerException is JsonException json)
            {
                var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
                var error = JsonErrors.Describe(json, parameter is null ? null : options.GetTypeInfo(parameter.ParameterType));
                return (error.Field, error.Detail);
            }

            return (null, bad.Message.Contains("was not provided", StringComparison.Ordinal) || bad.Message.StartsWith("Implicit body", StringComparison.Ordinal)
                ? "The request needs a JSON body."
                : "The body could not be read: " + (bad.InnerException?.Message ?? "it is malformed."));
        }

        if (source == Source.Form && bad.InnerException is not null)
        {
            return (null, "The form body could not be read: " + bad.InnerException.Message);
        }

        return bad.Message.StartsWith("Required parameter", StringComparison.Ordinal)
            ? (wire, $"{subject} is required.")
            : (wire, $"{subject} must be {JsonErrors.Describe(Nullable.GetUnderlyingType(parameter?.ParameterType ?? typeof(string)) ?? parameter?.ParameterType ?? typeof(string))}.");
    }

    private static ParameterInfo? Find(Endpoint? endpoint, string name) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name);

    private static (Source Source, string? Name) SourceOf(Endpoint? endpoint, ParameterInfo parameter)
    {
        foreach (var attribute in parameter.GetCustomAttributes(inherit: false))
        {
            switch (attribute)
            {
                case IFromQueryMetadata query:
                    return (Source.Query, query.Name);
                case IFromHeaderMetadata header:
                    return (Source.Header, header.Name);
                case IFromRouteMetadata route:
                    return (Source.Route, route.Name);
                case IFromFormMetadata form:
                    return (Source.Form, form.Name);
                case IFromBodyMetadata:
                    return (Source.Body, null);
            }
        }

        // The framework's inference: a route value by that name, else a simple value from the query, else the body.
        if ((endpoint as RouteEndpoint)?.RoutePattern.GetParameter(parameter.Name!) is not null)
        {
            return (Source.Route, null);
        }

        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset) || type == typeof(Guid)
               || (type.IsArray && type.GetElementType() == typeof(string))
            ? (Source.Query, null)
            : (Source.Body, null);
    }

    [GeneratedRegex("parameter \"(?<declared>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterInMessage();

    private enum Source
    {
        Body,
        Query,
        Header,
        Route,
        Form,
    }
}
