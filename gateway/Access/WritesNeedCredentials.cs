using Google.Api;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Access.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Gateway.Proxy;

namespace Lmis.Gateway.Access;

/// <summary>
/// The gateway's own check, before anything reaches a service: a write without a valid credential is refused
/// here (the services check roles and countries again, so calling them directly is no way around it). Which gRPC
/// methods only read is taken from the protocol itself: a method with a GET among its REST forms reads; every other
/// call over gRPC writes, including one this gateway does not know. On REST, every method but GET, HEAD and OPTIONS
/// writes, except a POST form of a reading method (a job title's suggestion takes a description too long for a URL).
/// </summary>
public sealed class WritesNeedCredentials(RequestDelegate next)
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor[] Services =
        [TaxonomyService.Descriptor, VacanciesService.Descriptor, StatisticsService.Descriptor, AccessService.Descriptor];

    private static readonly HashSet<string> ReadingMethods = ReadingGrpcMethods(Services);

    private static readonly HashSet<string> ReadingPosts = ReadingRestPosts(Services);

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsWrite(context) && context.User.Identity?.IsAuthenticated != true)
        {
            await CallRefusal.WriteAsync(context, StatusCodes.Status401Unauthorized, Grpc.Core.StatusCode.Unauthenticated,
                $"{CallRefusal.ActionOf(context)} writes: send an API key in the {ApiKeyAuthenticationHandler.Header} header or a bearer token.");
            return;
        }

        await next(context);
    }

    public static bool IsWrite(HttpContext context)
    {
        var request = context.Request;
        if (!CallRefusal.IsGrpc(request))
        {
            var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
                || HttpMethods.IsPost(request.Method) && ReadingPosts.Contains(request.Path.Value?.TrimEnd('/') ?? string.Empty);
            return !reads;
        }

        // The method as routing matched it (case-insensitively, a trailing slash ignored), so no spelling that reaches
        // a service escapes this check; a path no route took is compared as it came.
        return !ReadingMethods.Contains(MethodOf(context));
    }

    private static string MethodOf(HttpContext context)
    {
        var values = context.Request.RouteValues;
        return values.TryGetValue(ServiceRoutes.GrpcServiceValue, out var service) && values.TryGetValue(ServiceRoutes.GrpcMethodValue, out var method)
            ? $"/{service}/{method}"
            : context.Request.Path.Value ?? string.Empty;
    }

    /// <summary>"/lmis.vacancies.v1.VacanciesService/GetVacancy", ... for every method with a GET among its REST forms.</summary>
    public static HashSet<string> ReadingGrpcMethods(IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> services) =>
        services.SelectMany(service => service.Methods)
            .Where(method => RestFormsOf(method).Any(form => form.PatternCase == HttpRule.PatternOneofCase.Get))
            .Select(method => $"/{method.Service.FullName}/{method.Name}")
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The POST paths of reading methods, e.g. "/api/v1/taxonomy/occupations:suggest". Only fixed paths: a POST form
    /// with variables in its path would write as far as this check is concerned, the safe side.
    /// </summary>
    public static HashSet<string> ReadingRestPosts(IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> services) =>
        services.SelectMany(service => service.Methods)
            .Select(method => RestFormsOf(method).ToList())
            .Where(forms => forms.Any(form => form.PatternCase == HttpRule.PatternOneofCase.Get))
            .SelectMany(forms => forms.Where(form => form.PatternCase == HttpRule.PatternOneofCase.Post && !form.Post.Contains('{')))
            .Select(form => form.Post.TrimEnd('/'))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<HttpRule> RestFormsOf(Google.Protobuf.Reflection.MethodDescriptor method)
    {
        var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
        return rule is null ? [] : [rule, .. rule.AdditionalBindings];
    }
}
