using Google.Api;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Access.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Gateway.Access;

/// <summary>
/// The gateway's own check, before anything reaches a service: a write without a valid credential is refused
/// here (the services check roles and countries again, so calling them directly is no way around it). Which gRPC
/// methods write is read from the protocol itself: a method whose REST form is a GET reads; every other one writes.
/// On REST, every method but GET, HEAD and OPTIONS writes.
/// </summary>
public sealed class WritesNeedCredentials(RequestDelegate next)
{
    private static readonly HashSet<string> WritingMethods = WritingGrpcMethods(
        [TaxonomyService.Descriptor, VacanciesService.Descriptor, StatisticsService.Descriptor, AccessService.Descriptor]);

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsWrite(context.Request) && context.User.Identity?.IsAuthenticated != true)
        {
            await CallRefusal.WriteAsync(context, StatusCodes.Status401Unauthorized, Grpc.Core.StatusCode.Unauthenticated,
                $"{CallRefusal.ActionOf(context)} writes: send an API key in the {ApiKeyAuthenticationHandler.Header} header or a bearer token.");
            return;
        }

        await next(context);
    }

    public static bool IsWrite(HttpRequest request) =>
        CallRefusal.IsGrpc(request)
            ? WritingMethods.Contains(request.Path.Value ?? string.Empty)
            : !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

    /// <summary>"/lmis.vacancies.v1.VacanciesService/PublishVacancy", ... for every method that is not a REST GET.</summary>
    public static HashSet<string> WritingGrpcMethods(IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> services) =>
        services.SelectMany(service => service.Methods)
            .Where(method => method.GetOptions()?.GetExtension(AnnotationsExtensions.Http)?.PatternCase != HttpRule.PatternOneofCase.Get)
            .Select(method => $"/{method.Service.FullName}/{method.Name}")
            .ToHashSet(StringComparer.Ordinal);
}
