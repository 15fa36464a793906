using System.Text.Json;
using Lmis.Vacancies.Publishing;
using MongoDB.Bson;

namespace Lmis.Vacancies.Storage;

/// <summary>A vacancy document of the MongoDB <c>vacancies</c> collection read back, for the writer and the search alike.</summary>
internal static class MongoVacancyDocuments
{
    public const string Collection = "vacancies";

    /// <summary>How a vacancy's content is kept inside its document.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static Vacancy FromDocument(BsonDocument document)
    {
        var content = document["content"].AsBsonDocument;
        return new Vacancy(
            Guid.Parse(document["_id"].AsString),
            document["country"].AsString,
            document["sourceId"].AsString,
            document["version"].AsInt32,
            document["status"].AsString,
            JsonSerializer.Deserialize<VacancyContent>(content.ToJson(new MongoDB.Bson.IO.JsonWriterSettings { OutputMode = MongoDB.Bson.IO.JsonOutputMode.RelaxedExtendedJson }), Json)
                ?? throw new InvalidDataException($"Vacancy {document["_id"]} has no content."),
            new DateTimeOffset(document["publishedAt"].ToUniversalTime()),
            new DateTimeOffset(document["updatedAt"].ToUniversalTime()))
        {
            ClosedReason = document["closedReason"].IsBsonNull ? null : document["closedReason"].AsString,
            ClosedAt = document["closedAt"].IsBsonNull ? null : new DateTimeOffset(document["closedAt"].ToUniversalTime()),
            Cursor = document["changeSeq"].AsInt64,
        };
    }
}
