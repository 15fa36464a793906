using Microsoft.OpenApi.Models;

namespace Lmis.BuildingBlocks.ApiDocument;

/// <summary>What the document says of LMIS as a whole, before its operations.</summary>
internal static class ApiDocumentText
{
    public static OpenApiInfo Info() => new()
    {
        Title = "LMIS — Regional Labour Market Information System",
        Version = "v1",
        Description = """
            The public REST API of LMIS: member states' labour ministries publish job vacancies, labour statistics and
            labour-migration data; the regional secretariat and the public read comparable views across member states.

            **The same operations over gRPC.** Every operation here whose operationId is a gRPC method name is that
            gRPC method (packages `lmis.taxonomy.v1`, `lmis.vacancies.v1`, `lmis.statistics.v1`, `lmis.access.v1`)
            through JSON transcoding; whole feeds (`PublishVacancies`, `UploadObservations`) are gRPC streams only.
            The contract for gRPC clients in any language is served at `/contracts/lmis.protoset`.

            **Credentials.** Reading is open to anyone. Writing needs a key (`x-api-key` header) issued by the
            secretariat, or a bearer token of the member states' identity provider. A publisher's key writes its own
            member state's data only.

            **Errors** are RFC 7807 problem details (`application/problem+json`): `detail` says what is wrong, and
            `errors` lists each refused field with the value sent and the reason. Nothing of a refused request is
            stored. Calls beyond a credential's share get 429 with `Retry-After`.
            """,
    };

    /// <summary>What each group of operations is for.</summary>
    public static string? TagDescription(string tag) => tag switch
    {
        "lmis.taxonomy.v1.TaxonomyService" => "Classifications (ISCO-08, ISIC Rev.4, ISCED 2011 and national ones), crosswalks and the registry of labour-mobility pathways, released as numbered versions in English, Spanish and French.",
        "lmis.vacancies.v1.VacanciesService" => "Job vacancies published by the member states' employment services: one at a time, as a CSV feed or a gRPC stream; searched, closed, mirrored through a change feed, and read as schema.org JobPosting.",
        "lmis.statistics.v1.StatisticsService" => "Labour statistics as SDMX datasets (every revision kept), figures derived from the vacancy feeds, and the secretariat's regional views.",
        "lmis.access.v1.AccessService" => "API keys, issued, rotated and revoked by the secretariat.",
        "contracts" => "The published contract for clients in any language.",
        "health" => "Probes for operators and orchestrators.",
        _ => null,
    };
}
