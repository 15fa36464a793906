using System.Globalization;
using Grpc.Core;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Audit.V1;
using Lmis.Contracts.Classifications;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Occupations;
using Lmis.Taxonomy.Pathways;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;
using Microsoft.AspNetCore.Authorization;
using static Lmis.BuildingBlocks.Text.OptionalText;
using Domain = Lmis.Taxonomy.Schemes;
using Messages = Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Taxonomy.Grpc;

/// <summary>
/// Translates between the public protocol and the taxonomy's own types. The rules live in
/// <see cref="SchemeReleases"/> (what a version must be) and <see cref="TaxonomyCatalog"/> (how it is read).
/// Classifications are public reference data: anyone reads them, only the secretariat releases versions.
/// </summary>
public sealed class TaxonomyGrpcService(
    SchemeReleases releases, TaxonomyCatalog catalog, PathwayRegistry pathways, OccupationSearch occupations, OccupationCodeSuggester suggester, IConceptStore store, Region region,
    [FromKeyedServices(TaxonomyModule.Service)] AuditTrail audit)
    : TaxonomyService.TaxonomyServiceBase
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;
    private const int DefaultSearchLimit = 20;
    private const int MaxSearchLimit = 100;
    private const int DefaultOccupationLimit = 10;
    private const int MaxOccupationLimit = 50;

    [Write(AccessRoles.Secretariat)]
    public override Task<ImportSchemeVersionResponse> ImportSchemeVersion(ImportSchemeVersionRequest request, ServerCallContext context)
    {
        context.AuditSummary($"scheme {request.Scheme}: {request.Concepts.Count} concepts{(request.Amend ? " (amendment)" : string.Empty)}");
        return ReleaseAsync(StructuredDraft.From(request), context);
    }

    [Write(AccessRoles.Secretariat)]
    public override Task<ImportSchemeVersionResponse> ImportSchemeVersionCsv(ImportSchemeVersionCsvRequest request, ServerCallContext context)
    {
        context.AuditSummary($"scheme {request.Scheme} from CSV{(request.Amend ? " (amendment)" : string.Empty)}");
        return ReleaseAsync(
            CsvDraftReader.Read(request.Scheme, request.ConceptsCsv, request.LabelsCsv, request.RelationsCsv, request.AttributesCsv, request.Amend),
            context);
    }

    [Authorize(Policy = AccessPolicies.Secretariat)]
    public override Task<ListAuditRecordsResponse> ListAuditRecords(ListAuditRecordsRequest request, ServerCallContext context) =>
        audit.ListAsync(request, region, context.CancellationToken);

    public override async Task<ListSchemesResponse> ListSchemes(ListSchemesRequest request, ServerCallContext context)
    {
        var versions = await store.ListLatestVersionsAsync(context.CancellationToken);
        return new ListSchemesResponse { Schemes = { versions.Select(ToMessage) } };
    }

    public override async Task<ListSchemeVersionsResponse> ListSchemeVersions(ListSchemeVersionsRequest request, ServerCallContext context)
    {
        var versions = await store.ListVersionsAsync(request.Scheme, context.CancellationToken);
        return versions.Count == 0
            ? throw new NotFoundException($"Scheme '{request.Scheme}' has no released version.")
            : new ListSchemeVersionsResponse { Versions = { versions.Select(ToMessage) } };
    }

    public override async Task<Messages.VersionDiff> GetVersionDiff(GetVersionDiffRequest request, ServerCallContext context)
    {
        var diff = await catalog.DiffAsync(request.Scheme, Version(request.Version), context.CancellationToken);
        return new Messages.VersionDiff
        {
            Scheme = diff.Scheme,
            FromVersion = diff.FromVersion,
            ToVersion = diff.ToVersion,
            Added = { diff.Added.Select(c => ToMessage(diff.Scheme, diff.ToVersion, c)) },
            Changed = { diff.Changed.Select(c => ToMessage(diff.Scheme, diff.ToVersion, c)) },
            Deprecated = { diff.Deprecated.Select(c => ToMessage(diff.Scheme, diff.ToVersion, c)) },
        };
    }

    public override async Task<Messages.Concept> GetConcept(GetConceptRequest request, ServerCallContext context)
    {
        var index = await catalog.GetAsync(request.Scheme, Version(request.Version), context.CancellationToken);
        var concept = index.Find(request.Code.Trim())
            ?? throw new NotFoundException($"No concept '{request.Code}' in {index.Version.Scheme} version {index.Version.Version}.");
        return ToMessage(index, concept);
    }

    public override async Task<ListConceptsResponse> ListConcepts(ListConceptsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize switch
        {
            0 => DefaultPageSize,
            < 0 or > MaxPageSize => throw new ValidationFailedException(
                "Concept list", [new FieldError("page_size", request.PageSize.ToString(CultureInfo.InvariantCulture), $"1 to {MaxPageSize}")]),
            _ => request.PageSize,
        };
        var index = await catalog.GetAsync(request.Scheme, Version(request.Version), context.CancellationToken);
        var page = index.WithCodePrefix(request.CodePrefix.Trim())
            .Where(c => request.Level == 0 || c.Level == request.Level)
            .Where(c => request.PageToken.Length == 0 || string.CompareOrdinal(c.Code, request.PageToken) > 0)
            .Take(pageSize + 1)
            .ToArray();
        return new ListConceptsResponse
        {
            Version = index.Version.Version,
            Concepts = { page.Take(pageSize).Select(c => ToMessage(index, c)) },
            NextPageToken = page.Length > pageSize ? page[pageSize - 1].Code : string.Empty,
        };
    }

    public override async Task<SearchConceptsResponse> SearchConcepts(SearchConceptsRequest request, ServerCallContext context)
    {
        var limit = Limit("Search", request.Limit, DefaultSearchLimit, MaxSearchLimit);
        if (string.IsNullOrWhiteSpace(request.Q))
        {
            throw new ValidationFailedException("Search", [new FieldError("q", request.Q, "required: the words to find")]);
        }

        var indexes = string.IsNullOrWhiteSpace(request.Scheme)
            ? await catalog.LatestOfAllAsync(context.CancellationToken)
            : [await catalog.GetAsync(request.Scheme.Trim(), null, context.CancellationToken)];
        var language = TrimmedOrNull(request.Language);
        var hits = indexes
            .SelectMany(i => i.Search(request.Q, request.Level == 0 ? null : request.Level, language, limit).Select(h => (Index: i, Hit: h)))
            .OrderByDescending(h => h.Hit.Score)
            .ThenBy(h => h.Hit.MatchedLabel.Text.Length)
            .ThenBy(h => h.Index.Version.Scheme, StringComparer.Ordinal)
            .ThenBy(h => h.Hit.Concept.Code, StringComparer.Ordinal)
            .Take(limit);
        return new SearchConceptsResponse
        {
            Hits =
            {
                hits.Select(h => new Messages.SearchHit
                {
                    Concept = ToMessage(h.Index, h.Hit.Concept),
                    Score = h.Hit.Score,
                    MatchedLabel = h.Hit.MatchedLabel.Text,
                    MatchedLanguage = h.Hit.MatchedLabel.Language,
                }),
            },
        };
    }

    public override async Task<SearchOccupationsResponse> SearchOccupations(SearchOccupationsRequest request, ServerCallContext context)
    {
        var limit = Limit("Occupation search", request.Limit, DefaultOccupationLimit, MaxOccupationLimit);
        if (string.IsNullOrWhiteSpace(request.Q))
        {
            throw new ValidationFailedException("Occupation search", [new FieldError("q", request.Q, "required: the job title as typed so far")]);
        }

        var language = OccupationLanguage(request.Language);
        var hits = await occupations.SearchAsync(request.Q, language, limit, context.CancellationToken);
        return new SearchOccupationsResponse
        {
            Hits =
            {
                hits.Select(h =>
                {
                    var shownIn = language ?? h.Matched.Language;
                    return new Messages.OccupationHit
                    {
                        EscoCode = h.Esco?.Code ?? string.Empty,
                        EscoUri = h.Esco?.AttributeValues("uri").FirstOrDefault() ?? string.Empty,
                        EscoTitle = h.Esco is null ? string.Empty : Title(h.Esco, shownIn),
                        IscoCode = h.Isco.Code,
                        IscoTitle = Title(h.Isco, shownIn),
                        MatchedTitle = h.Matched.Text,
                        MatchedLanguage = h.Matched.Language,
                        Score = h.Score,
                    };
                }),
            },
        };
    }

    public override async Task<SuggestOccupationCodesResponse> SuggestOccupationCodes(SuggestOccupationCodesRequest request, ServerCallContext context)
    {
        var (language, limit) = ValidSuggestionRequest(request);
        var suggestions = await suggester.SuggestAsync(request.Title, request.Description, language, limit, context.CancellationToken);
        return new SuggestOccupationCodesResponse
        {
            Suggestions =
            {
                suggestions.Select(s =>
                {
                    var shownIn = language ?? "en";
                    return new OccupationSuggestion
                    {
                        IscoCode = s.UnitGroup.Code,
                        IscoTitle = Title(s.UnitGroup, shownIn),
                        Score = s.Score,
                        MatchedTitle = s.Matched.Label.Text,
                        MatchedLanguage = s.Matched.Label.Language,
                        EscoCode = s.Matched.Esco?.Code ?? string.Empty,
                        EscoTitle = s.Matched.Esco is null ? string.Empty : Title(s.Matched.Esco, shownIn),
                    };
                }),
            },
        };
    }

    /// <summary>
    /// A suggestion request's language and limit, or every refusal at once: a title (as long as a vacancy's title
    /// may be), a description no longer than a vacancy's, a language the built-in titles are in, 1 to 20 suggestions.
    /// </summary>
    private static (string? Language, int Limit) ValidSuggestionRequest(SuggestOccupationCodesRequest request)
    {
        const string subject = "Occupation code suggestion";
        const int maxTitle = 300;
        const int maxDescription = 20_000;
        const int maxLimit = 20;
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Title))
        {
            errors.Add(new FieldError("title", request.Title, "required: the vacancy's job title as written, e.g. \"albañil\""));
        }
        else if (request.Title.Length > maxTitle)
        {
            errors.Add(new FieldError("title", request.Title[..maxTitle], $"at most {maxTitle} characters, like a vacancy's title"));
        }

        if (request.Description.Length > maxDescription)
        {
            errors.Add(new FieldError("description", request.Description[..100], $"at most {maxDescription:N0} characters, like a vacancy's description"));
        }

        var language = request.Language.Trim().ToLowerInvariant();
        if (language is not ("" or "en" or "es" or "fr"))
        {
            errors.Add(new FieldError("language", request.Language, "en, es or fr: the languages the built-in occupation titles are in; empty for all three"));
        }

        if (request.Limit is < 0 or > maxLimit)
        {
            errors.Add(new FieldError("limit", request.Limit.ToString(CultureInfo.InvariantCulture), $"1 to {maxLimit}; 0 for 5"));
        }

        return errors.Count > 0
            ? throw new ValidationFailedException(subject, errors)
            : (language.Length == 0 ? null : language, request.Limit == 0 ? 5 : request.Limit);
    }

    public override async Task<TranslateResponse> Translate(TranslateRequest request, ServerCallContext context)
    {
        var targets = await catalog.TranslateAsync(request.FromScheme.Trim(), request.Code, request.ToScheme.Trim(), context.CancellationToken);
        return new TranslateResponse { Targets = { targets.Select(ToMessage) } };
    }

    public override async Task<GetRelatedConceptsResponse> GetRelatedConcepts(GetRelatedConceptsRequest request, ServerCallContext context)
    {
        RelationType? relation = null;
        if (!string.IsNullOrWhiteSpace(request.Relation))
        {
            relation = RelationTypes.Parse(request.Relation) ?? throw new ValidationFailedException(
                "Relation query", [new FieldError("relation", request.Relation, "exact, broader, narrower, partial, essential_skill or optional_skill")]);
        }

        var related = await catalog.RelatedAsync(request.Scheme.Trim(), request.Code, relation, context.CancellationToken);
        return new GetRelatedConceptsResponse { Related = { related.Select(ToMessage) } };
    }

    public override async Task<SearchPathwaysResponse> SearchPathways(SearchPathwaysRequest request, ServerCallContext context)
    {
        var (version, found) = await pathways.SearchAsync(
            request.Origin, request.Destination, request.Occupation, request.IncludeInactive, context.CancellationToken);
        return new SearchPathwaysResponse
        {
            Pathways =
            {
                found.Select(p => new Messages.Pathway
                {
                    Id = p.Concept.Code,
                    Type = p.Type,
                    Names = { Preferred(p.Concept) },
                    Origins = { p.Origins },
                    Destination = p.Destination,
                    Sectors = { p.Sectors },
                    Occupations = { p.Occupations },
                    ValidFrom = p.ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ValidTo = p.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
                    Status = p.Status,
                    SourceDocument = p.SourceDocument,
                    Version = version,
                }),
            },
        };
    }

    private async Task<ImportSchemeVersionResponse> ReleaseAsync(SchemeVersionDraft draft, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        SchemeVersion released;
        try
        {
            released = await releases.ReleaseAsync(draft, cancellationToken);
        }
        catch (ConcurrentReleaseException e)
        {
            throw new RpcException(new Status(StatusCode.Aborted, e.Message));
        }

        if (released.Scheme is SchemeIds.Isco08 or SchemeIds.Esco)
        {
            // The job titles the version brings are suggested from the moment the release is answered.
            await suggester.PrepareAsync(cancellationToken);
        }

        var diff = await catalog.DiffAsync(released.Scheme, released.Version, cancellationToken);
        context.AuditSummary($"scheme {released.Scheme} version {released.Version}: {released.ConceptCount} concepts, "
            + $"{diff.Added.Count} added, {diff.Changed.Count} changed, {diff.Deprecated.Count} deprecated");
        return new ImportSchemeVersionResponse
        {
            Scheme = released.Scheme,
            Version = released.Version,
            ConceptCount = released.ConceptCount,
            Added = diff.Added.Count,
            Changed = diff.Changed.Count,
            Deprecated = diff.Deprecated.Count,
        };
    }

    private static int? Version(int version) => version > 0 ? version : null;

    private static int Limit(string subject, int limit, int byDefault, int max) => limit switch
    {
        0 => byDefault,
        < 0 => throw new ValidationFailedException(subject, [new FieldError("limit", limit.ToString(CultureInfo.InvariantCulture), $"1 to {max}")]),
        _ when limit > max => throw new ValidationFailedException(subject, [new FieldError("limit", limit.ToString(CultureInfo.InvariantCulture), $"1 to {max}")]),
        _ => limit,
    };

    /// <summary>The language occupations are searched and shown in: en, es or fr, or null for every language.</summary>
    private static string? OccupationLanguage(string language) => language.Trim().ToLowerInvariant() switch
    {
        "" => null,
        "en" or "es" or "fr" => language.Trim().ToLowerInvariant(),
        _ => throw new ValidationFailedException("Occupation search", [new FieldError("language", language, "en, es or fr: the languages the built-in occupation titles are in")]),
    };

    /// <summary>A concept's preferred title in a language, else in English, else in any language it has.</summary>
    private static string Title(Domain.Concept concept, string language) =>
        concept.PreferredLabel(language) ?? concept.PreferredLabel("en") ?? concept.Labels.FirstOrDefault(l => l.Kind == LabelKind.Preferred)?.Text ?? concept.Code;

    private static ConceptScheme ToMessage(SchemeVersion v) => new()
    {
        Scheme = v.Scheme,
        LatestVersion = v.Version,
        ConceptCount = v.ConceptCount,
        ReleasedAt = v.ReleasedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    private static Messages.RelatedConcept ToMessage(Reading.RelatedConcept r) => new()
    {
        Concept = ToMessage(r.Scheme, r.Version, r.Concept),
        Relation = RelationTypes.Name(r.Relation),
    };

    private static Messages.Concept ToMessage(SchemeIndex index, Domain.Concept concept)
    {
        var message = ToMessage(index.Version.Scheme, index.Version.Version, concept);
        message.Children.AddRange(index.Children[concept.Code].Select(c => c.Code).Order(StringComparer.Ordinal));
        return message;
    }

    private static Messages.Concept ToMessage(string scheme, int version, Domain.Concept concept)
    {
        var message = new Messages.Concept
        {
            Scheme = scheme,
            Version = version,
            Code = concept.Code,
            ParentCode = concept.ParentCode ?? string.Empty,
            Level = concept.Level,
            Status = concept.Status == ConceptStatus.Deprecated ? "deprecated" : "active",
            ReplacedBy = concept.ReplacedBy ?? string.Empty,
            Labels = { Preferred(concept) },
            Definitions = { concept.Labels.Where(l => l.Kind == LabelKind.Definition).ToDictionary(l => l.Language, l => l.Text) },
            Attributes = { concept.Attributes.Select(a => new Messages.Attribute { Name = a.Name, Value = a.Value }) },
        };
        foreach (var group in concept.Labels.Where(l => l.Kind == LabelKind.Alternative).GroupBy(l => l.Language))
        {
            message.AlternativeLabels[group.Key] = new LabelList { Values = { group.Select(l => l.Text) } };
        }

        return message;
    }

    private static Dictionary<string, string> Preferred(Domain.Concept concept) =>
        concept.Labels.Where(l => l.Kind == LabelKind.Preferred).ToDictionary(l => l.Language, l => l.Text);
}
