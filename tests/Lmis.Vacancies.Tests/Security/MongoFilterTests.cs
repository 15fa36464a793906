using Lmis.BuildingBlocks.Audit;
using Lmis.Vacancies.Search;
using Lmis.Vacancies.Storage;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace Lmis.Vacancies.Tests.Security;

/// <summary>
/// MongoDB operator injection: whatever a caller puts in a filter value (here, operators as text) stays a value
/// compared by equality or range on a fixed field. Checked on the rendered queries, so it needs no server.
/// </summary>
public sealed class MongoFilterTests
{
    /// <summary>The operators the store itself writes; any other would have come from a caller's value.</summary>
    private static readonly HashSet<string> Allowed = ["$and", "$or", "$in", "$eq", "$gte", "$lt", "$lte", "$size", "$regularExpression", "$regex", "$options"];

    private static readonly string[] Hostile = ["{\"$ne\": null}", "$where", "{$gt: ''}", "'; return true; var x='", ".*"];

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) =>
        filter.Render(new RenderArgs<BsonDocument>(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry));

    [Fact]
    public void Vacancy_search_values_are_compared_never_read_as_operators()
    {
        foreach (var value in Hostile)
        {
            var rendered = Render(MongoVacancySearch.FilterOf(new VacancyQuery
            {
                Countries = [value],
                SectorCode = value,
                EmploymentType = value,
                PathwayId = value,
                OriginCountry = value,
                WageCurrency = value,
                Text = value,
            }));

            var fields = Flatten(rendered).ToList();
            var operators = fields.SelectMany(f => f.Path.Split('.')).Select(p => p.Split('[')[0]).Where(p => p.StartsWith('$')).ToHashSet();
            Assert.Subset(Allowed, operators);
            Assert.Contains(fields, f => f.Path.EndsWith("country.$in[0]", StringComparison.Ordinal) && f.Value == BsonValue.Create(value));
            Assert.Contains(fields, f => f.Path.EndsWith("content.SectorCode", StringComparison.Ordinal) && f.Value == BsonValue.Create(value));
            Assert.Contains(fields, f => f.Path.EndsWith("content.PathwayId", StringComparison.Ordinal) && f.Value == BsonValue.Create(value));
            Assert.All(fields.Where(f => f.Value.IsBsonRegularExpression), f =>
                Assert.DoesNotContain(".*", f.Value.AsBsonRegularExpression.Pattern, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Audit_queries_compare_country_and_subject_as_values()
    {
        var rendered = Render(MongoAuditTrail.Filter(new AuditQuery("{\"$ne\": null}", "$where", null, 10, null)));
        var fields = Flatten(rendered).ToList();

        Assert.Contains(fields, f => f.Path.EndsWith("country", StringComparison.Ordinal) && f.Value == "{\"$ne\": null}");
        Assert.Contains(fields, f => f.Path.EndsWith("subject", StringComparison.Ordinal) && f.Value == "$where");
    }

    /// <summary>Every leaf of a rendered filter with its path, e.g. ("$and[0].country.$in[0]", "MEX").</summary>
    private static IEnumerable<(string Path, BsonValue Value)> Flatten(BsonValue value, string path = "")
    {
        switch (value)
        {
            case BsonDocument document:
                foreach (var element in document)
                {
                    foreach (var leaf in Flatten(element.Value, path.Length == 0 ? element.Name : $"{path}.{element.Name}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case BsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in Flatten(array[i], $"{path}[{i}]"))
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return (path, value);
                break;
        }
    }
}
