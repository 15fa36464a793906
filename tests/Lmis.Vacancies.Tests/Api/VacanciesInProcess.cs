using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>
/// The vacancies service in process, checking occupations against a real taxonomy service (also in process) that
/// holds the ISCO-08 sample; <paramref name="configure"/> adds a test's own settings or services to the vacancies host.
/// </summary>
public sealed class VacanciesInProcess(Action<ServiceHost<VacanciesGrpcService>>? configure = null) : IAsyncLifetime
{
    public ServiceHost<TaxonomyGrpcService> Taxonomy { get; } = new();

    public ServiceHost<VacanciesGrpcService> Vacancies { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await new TaxonomyService.TaxonomyServiceClient(Taxonomy.GrpcChannel(TestCaller.Secretariat))
            .ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Vacancies = VacanciesApiTests.UsingTaxonomy(new ServiceHost<VacanciesGrpcService>(), Taxonomy);
        configure?.Invoke(Vacancies);
    }

    public async ValueTask DisposeAsync()
    {
        await Vacancies.DisposeAsync();
        await Taxonomy.DisposeAsync();
    }
}
