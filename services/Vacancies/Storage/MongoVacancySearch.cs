using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Text;
using Lmis.Vacancies.Search;
using MongoDB.Bson;
using MongoDB.Driver;
using static Lmis.Vacancies.Storage.MongoVacancyDocuments;

namespace Lmis.Vacancies.Storage;

/// <summary>
/// A vacancy search on MongoDB: the filters as one typed filter over the document's fields, newest first, paged by
/// keyset on the document's position. Reads only.
/// </summary>
public sealed class MongoVacancySearch(IMongoDatabase database)
{
    private readonly IMongoCollection<BsonDocument> _vacancies = database.GetCollection<BsonDocument>(Collection);

    public async Task<VacancyPage> SearchAsync(VacancyQuery query, CancellationToken cancellationToken)
    {
        if (query.Order == VacancyOrder.Relevance)
        {
            // The MongoDB store finds words by pattern, with no text index to score them by.
            throw new ValidationFailedException("Search", [new FieldError("order", "relevance",
                "this deployment keeps vacancies in MongoDB, which searches newest first only: leave order out or send newest")]);
        }

        var f = Builders<BsonDocument>.Filter;
        var filter = FilterOf(query);
        long? total = query.IncludeTotal ? await _vacancies.CountDocumentsAsync(filter, cancellationToken: cancellationToken) : null;
        if (query.After is { } after)
        {
            filter &= f.Lt("seq", after);
        }

        var documents = await _vacancies.Find(filter).SortByDescending(d => d["seq"]).Limit(query.PageSize + 1).ToListAsync(cancellationToken);
        var page = documents.Take(query.PageSize).ToArray();
        return new VacancyPage([.. page.Select(FromDocument)], documents.Count > query.PageSize ? page[^1]["seq"].AsInt64 : null, total);
    }

    /// <summary>
    /// The filter of a search. Every value a caller sent is compared through a typed builder on a fixed field (and
    /// text words are regex-escaped), so nothing a caller sends is ever read as a query operator.
    /// </summary>
    public static FilterDefinition<BsonDocument> FilterOf(VacancyQuery query)
    {
        var f = Builders<BsonDocument>.Filter;
        var filter = f.Empty;
        if (query.Countries.Count > 0)
        {
            filter &= f.In("country", query.Countries);
        }

        if (query.Statuses.Count > 0)
        {
            filter &= f.In("status", query.Statuses);
        }

        if (query.OccupationPrefix is { } occupation)
        {
            filter &= f.Gte("occupation", occupation) & f.Lt("occupation", occupation + "~");
        }

        if (query.SectorCode is { } sector)
        {
            filter &= f.Eq("content.SectorCode", sector);
        }

        if (query.EmploymentType is { } type)
        {
            filter &= f.Eq("content.EmploymentType", type);
        }

        if (query.ForeignWorkersEligible is { } eligible)
        {
            filter &= f.Eq("content.ForeignWorkersEligible", eligible);
        }

        if (query.OriginCountry is { } origin)
        {
            filter &= f.Eq("content.ForeignWorkersEligible", true)
                & (f.Size("content.EligibleOriginCountries", 0) | f.AnyEq("content.EligibleOriginCountries", origin));
        }

        if (query.PathwayId is { } pathway)
        {
            filter &= f.Eq("content.PathwayId", pathway);
        }

        if (query.FeeFreeOnly)
        {
            filter &= f.Eq("content.WorkerPaysRecruitmentFees", false);
        }

        if (query.WageCurrency is { } currency)
        {
            filter &= f.Eq("content.Wage.Currency", currency);
            if (query.WageMin is { } min)
            {
                filter &= f.Or(f.Gte("content.Wage.Max", (double)min), f.And(f.Eq("content.Wage.Max", BsonNull.Value), f.Gte("content.Wage.Min", (double)min)));
            }

            if (query.WageMax is { } max)
            {
                filter &= f.Or(f.Lte("content.Wage.Min", (double)max), f.And(f.Eq("content.Wage.Min", BsonNull.Value), f.Lte("content.Wage.Max", (double)max)));
            }
        }

        if (query.PostedSince is { } since)
        {
            filter &= f.Gte("content.DatePosted", since.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (query.Text is { } text)
        {
            foreach (var word in TextFolding.Words(text))
            {
                filter &= f.Regex("text", new BsonRegularExpression("\\b" + Regex.Escape(word)));
            }
        }

        return filter;
    }
}
