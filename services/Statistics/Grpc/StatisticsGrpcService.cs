using System.Buffers;
using Grpc.Core;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Audit.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Datasets;
using Lmis.Statistics.RegionalViews;
using Lmis.Statistics.Storage;
using Lmis.Statistics.VacancyFigures;
using Microsoft.AspNetCore.Authorization;

namespace Lmis.Statistics.Grpc;

/// <summary>Translates between the public protocol and the statistics service's stores.</summary>
public sealed class StatisticsGrpcService(
    IVacancyFigureStore figures, VacancyFiguresCatchUp figuresFeed, ObservationUpload upload, ServiceLimits limits, Region region,
    OccupationTitles titles, [FromKeyedServices(StatisticsModule.Service)] AuditTrail audit)
    : StatisticsService.StatisticsServiceBase
{
    [Write(AccessRoles.Publisher)]
    public override async Task<ObservationUploadResult> UploadObservations(IAsyncStreamReader<ObservationUploadChunk> requestStream, ServerCallContext context)
    {
        var publisher = Caller.From(context.GetHttpContext()).PublisherCountry;
        // The first chunk says the mode; the rest of the file streams into the reader as it arrives.
        var first = await requestStream.MoveNext(context.CancellationToken) ? requestStream.Current : new ObservationUploadChunk();
        var pipe = new System.IO.Pipelines.Pipe();
        var copy = Task.Run(async () =>
        {
            try
            {
                long received = 0;
                for (var chunk = first; chunk is not null; chunk = await requestStream.MoveNext(context.CancellationToken) ? requestStream.Current : null)
                {
                    received += chunk.Csv.Length;
                    if (received > limits.CsvMaxBytes)
                    {
                        throw new BadHttpRequestException($"An upload is at most {limits.CsvMaxBytes} bytes; split the file.", StatusCodes.Status413PayloadTooLarge);
                    }

                    await pipe.Writer.WriteAsync(chunk.Csv.Memory, context.CancellationToken);
                }

                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
            }
        });
        UploadResult result;
        try
        {
            // The format from the file's first bytes, whichever chunks they come in; then the whole file is read.
            var start = await pipe.Reader.ReadAtLeastAsync(16, context.CancellationToken);
            var format = FormatOf(start.Buffer.Slice(0, Math.Min(16, start.Buffer.Length)).ToArray());
            pipe.Reader.AdvanceTo(start.Buffer.Start);
            await using var body = pipe.Reader.AsStream();
            result = await upload.UploadAsync(body, format, publisher, first.AllOrNothing, checkOnly: first.ValidateOnly, context.CancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.ResourceExhausted, e.Message + " Rows read before the limit were stored."));
        }
        finally
        {
            await copy;
        }
        context.AuditSummary("SDMX upload (stream) " + result.Summary);
        if (!result.Accepted)
        {
            throw Refusal(result);
        }

        return new ObservationUploadResult
        {
            Dataflow = result.Dataflow ?? string.Empty,
            Received = result.Received,
            Added = result.Added,
            Revised = result.Revised,
            Unchanged = result.Unchanged,
            Rejected = result.Rejected,
            Stored = result.Stored,
            Errors = { result.Errors.Select(e => new UploadProblem { Field = e.Field, Value = e.ShownValue ?? string.Empty, Reason = e.Reason }) },
            Mapping = result.Mapping ?? string.Empty,
            MappedFrom = result.MappedFrom ?? string.Empty,
        };
    }

    /// <summary>
    /// A stream has no content type: a file whose first character (after blanks and a UTF-8 byte order mark) is '&lt;'
    /// is SDMX-ML, anything else SDMX-CSV, whose header starts with a letter.
    /// </summary>
    private static UploadFormat FormatOf(ReadOnlySpan<byte> start)
    {
        start = start.StartsWith("\uFEFF"u8) ? start[3..] : start;
        return start.TrimStart(" \t\r\n"u8).StartsWith("<"u8) ? UploadFormat.SdmxMl : UploadFormat.SdmxCsv;
    }

    /// <summary>
    /// An upload that stored nothing, as INVALID_ARGUMENT with its first problems as BadRequest field violations (a
    /// status travels in the trailers, which hold a few kilobytes, not a thousand problems).
    /// </summary>
    private static ValidationFailedException Refusal(UploadResult result)
    {
        const int Listed = 50;
        var errors = result.Errors.Take(Listed).ToList();
        if (result.Errors.Count > Listed)
        {
            errors.Add(new FieldError("upload", null, $"{result.Errors.Count - Listed} more problem(s) not listed"));
        }

        return new ValidationFailedException(
            $"SDMX upload of {result.Dataflow ?? "no known dataflow"}: {(result.CheckOnly ? "nothing would be stored" : "nothing was stored")} ({result.Received} rows received, {result.Rejected} refused);", errors);
    }

    public override async Task<GetVacancyFiguresResponse> GetVacancyFigures(GetVacancyFiguresRequest request, ServerCallContext context)
    {
        var countries = region.MemberFilters(request.Country, "Query");
        var one = countries.Count == 1 ? countries.Single() : null;
        var query = VacancyFigureQuery.From(one, request.Level, request.FromMonth, request.ToMonth, request.Language);
        var facts = figures.FactsAsync(one, context.CancellationToken).Where(f => countries.Count == 0 || countries.Contains(f.Country));
        var report = await VacancyFigureReport.ComputeAsync(facts, query, context.CancellationToken);
        var titled = await titles.InAsync(query.Language, context.CancellationToken);
        return new GetVacancyFiguresResponse
        {
            Figures =
            {
                report.Select(f => new VacancyFigure
                {
                    Country = f.Country,
                    OccupationGroup = f.OccupationGroup,
                    OccupationTitle = titled.GetValueOrDefault(f.OccupationGroup, string.Empty),
                    OpenVacancies = f.OpenVacancies,
                    OpenPositions = f.OpenPositions,
                    ForeignWorkersEligibleShare = f.ForeignWorkersEligibleShare,
                    FeeFreeShare = f.FeeFreeShare,
                    Wages = { f.Wages.Select(w => new WageFigure { Currency = w.Currency, Period = w.Period, Median = (double)w.Median, Vacancies = w.Vacancies }) },
                    FilledVacancies = f.FilledVacancies,
                    MeanDaysToFill = f.MeanDaysToFill,
                    Months = { f.Months.Select(m => new MonthFigure { Month = m.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), OpenVacancies = m.OpenVacancies, OpenPositions = m.OpenPositions }) },
                }),
            },
        };
    }

    [Write(AccessRoles.Secretariat)]
    public override async Task<RebuildVacancyFiguresResponse> RebuildVacancyFigures(RebuildVacancyFiguresRequest request, ServerCallContext context)
    {
        var read = await figuresFeed.RebuildAsync(context.CancellationToken);
        context.AuditSummary($"vacancy figures rebuilt from {read} vacancies");
        return new RebuildVacancyFiguresResponse { Vacancies = read };
    }

    [Authorize(Policy = AccessPolicies.Secretariat)]
    public override Task<ListAuditRecordsResponse> ListAuditRecords(ListAuditRecordsRequest request, ServerCallContext context) =>
        audit.ListAsync(request, region, context.CancellationToken);

    public override async Task<GetVacancyCountsResponse> GetVacancyCounts(GetVacancyCountsRequest request, ServerCallContext context)
    {
        var countries = region.MemberFilters(request.Country, "Query");
        var language = OccupationTitles.LanguageOrRefuse(request.Language, "Query");
        var counts = (await figures.CountOpenAsync(countries.Count == 1 ? countries.Single() : null, context.CancellationToken))
            .Where(c => countries.Count == 0 || countries.Contains(c.Country)).ToArray();
        var titled = await titles.InAsync(language, context.CancellationToken);
        return new GetVacancyCountsResponse
        {
            Counts =
            {
                counts.Select(c => new Contracts.Statistics.V1.VacancyCount
                {
                    Country = c.Country,
                    OccupationMajorGroup = c.OccupationMajorGroup,
                    OccupationMajorGroupTitle = titled.GetValueOrDefault(c.OccupationMajorGroup, string.Empty),
                    OpenVacancies = c.OpenVacancies,
                    OpenPositions = c.OpenPositions,
                }),
            },
            TotalOpenVacancies = counts.Sum(c => c.OpenVacancies),
            TotalOpenPositions = counts.Sum(c => c.OpenPositions),
        };
    }
}
