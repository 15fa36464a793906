using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Lmis.BuildingBlocks.Messaging;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy;

namespace Lmis.Bench;

/// <summary>
/// Code lookups and label searches per second against a 3,000-concept scheme labelled in four languages, through
/// gRPC over loopback to the taxonomy service hosted in this process (SQLite store, as on the embedded default).
/// </summary>
public static class TaxonomyBenchmark
{
    private const string Scheme = "benchocc";

    private static readonly Dictionary<string, string[]> Words = new(StringComparer.Ordinal)
    {
        ["en"] = ["technician", "worker", "assistant", "operator", "nurse", "builder", "bricklayer", "electrician", "baker", "cook",
            "driver", "farm", "crop", "livestock", "machine", "plant", "health", "care", "teacher", "engineer", "clerk", "sales",
            "warehouse", "logistics", "hotel", "cleaner", "security", "software", "accountant", "mechanic"],
        ["es"] = ["técnico", "trabajador", "asistente", "operador", "enfermería", "constructor", "albañil", "electricista", "panadería",
            "cocinero", "conductor", "agrícola", "cultivo", "ganadería", "máquina", "planta", "salud", "cuidado", "docente", "ingeniería",
            "administración", "ventas", "almacén", "logística", "hotelería", "limpieza", "seguridad", "informática", "contabilidad", "mecánico"],
        ["fr"] = ["technicien", "travailleur", "assistant", "opérateur", "infirmière", "bâtiment", "maçon", "électricien", "boulanger",
            "cuisinier", "conducteur", "agricole", "culture", "élevage", "machine", "usine", "santé", "soins", "enseignant", "ingénieur",
            "employé", "vente", "entrepôt", "logistique", "hôtellerie", "nettoyage", "sécurité", "logiciel", "comptable", "mécanicien"],
        ["pt"] = ["técnico", "trabalhador", "assistente", "operador", "enfermagem", "construção", "pedreiro", "eletricista", "padeiro",
            "cozinheiro", "motorista", "agrícola", "cultivo", "pecuária", "máquina", "fábrica", "saúde", "cuidados", "professor", "engenheiro",
            "escriturário", "vendas", "armazém", "logística", "hotelaria", "limpeza", "segurança", "informática", "contabilista", "mecânico"],
    };

    public static async Task RunAsync(Options options)
    {
        var conceptCount = options.Number("concepts", 3000);
        var lookups = options.Number("lookups", 20000);
        var searches = options.Number("searches", 5000);
        var concurrency = options.Number("concurrency", 8);
        var data = Directory.CreateTempSubdirectory("lmis-bench-taxonomy-");
        var grpcPort = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["Lmis:DataDirectory"] = data.FullName;
        builder.Configuration["Lmis:Taxonomy:BuiltIn"] = "false";
        builder.UseDefaultListeningEndpoints(FreePort(), grpcPort);
        builder.AddServiceDefaults();
        builder.AddTaxonomy();
        builder.AddMessaging("bench", TaxonomyModule.AddConsumers);
        await using var app = builder.Build();
        app.MapGrpcInfrastructure();
        app.MapTaxonomy();
        await app.StartAsync();

        try
        {
            using var channel = GrpcChannel.ForAddress($"http://localhost:{grpcPort}", new GrpcChannelOptions { MaxSendMessageSize = 256 * 1024 * 1024 });
            var client = new TaxonomyService.TaxonomyServiceClient(channel);
            var random = new Random(2026);
            var request = Generate(conceptCount, random);
            var import = System.Diagnostics.Stopwatch.StartNew();
            var released = await client.ImportSchemeVersionAsync(request);
            import.Stop();

            var codes = request.Concepts.Select(c => c.Code).ToArray();
            var queries = Enumerable.Range(0, 512).Select(_ => Query(random)).ToArray();
            // Warm up: JIT, connection, the version's in-memory index.
            for (var i = 0; i < 500; i++)
            {
                await client.GetConceptAsync(new GetConceptRequest { Scheme = Scheme, Code = codes[i % codes.Length] });
                await client.SearchConceptsAsync(new SearchConceptsRequest { Q = queries[i % queries.Length], Scheme = Scheme });
            }

            Console.WriteLine($"Taxonomy benchmark on {Measurement.Machine()}");
            Console.WriteLine($"scheme '{Scheme}': {released.ConceptCount} concepts, {request.Concepts.Sum(c => c.Labels.Count + c.AlternativeLabels.Count)} labels in en/es/fr/pt; imported in {import.Elapsed.TotalMilliseconds:N0} ms");
            foreach (var callers in new[] { 1, concurrency })
            {
                Console.WriteLine(await Measurement.RunAsync("GetConcept (code lookup)", lookups, callers,
                    i => client.GetConceptAsync(new GetConceptRequest { Scheme = Scheme, Code = codes[(i * 7919) % codes.Length] }).ResponseAsync));
                Console.WriteLine(await Measurement.RunAsync("SearchConcepts (label search)", searches, callers,
                    i => client.SearchConceptsAsync(new SearchConceptsRequest { Q = queries[i % queries.Length], Scheme = Scheme, Limit = 20 }).ResponseAsync));
            }

            Console.WriteLine("Targets (issue): lookup p99 < 2 ms, search p99 < 10 ms.");
        }
        finally
        {
            await app.StopAsync();
            data.Delete(recursive: true);
        }
    }

    /// <summary>A four-level hierarchy (10 / 90 / 400 / the rest) with a preferred label in each language and some alternatives.</summary>
    private static ImportSchemeVersionRequest Generate(int count, Random random)
    {
        var request = new ImportSchemeVersionRequest { Scheme = Scheme };
        var levels = new List<List<string>> { new(), new(), new(), new() };
        for (var i = 0; i < count; i++)
        {
            var level = i < 10 ? 0 : i < 100 ? 1 : i < 500 ? 2 : 3;
            var code = $"C{i:D5}";
            var concept = new ConceptInput
            {
                Code = code,
                ParentCode = level == 0 ? string.Empty : levels[level - 1][random.Next(levels[level - 1].Count)],
            };
            foreach (var (language, words) in Words)
            {
                concept.Labels[language] = Label(words, random);
                if (random.Next(3) == 0)
                {
                    concept.AlternativeLabels.Add(new LabelInput { Language = language, Text = Label(words, random) });
                }
            }

            levels[level].Add(code);
            request.Concepts.Add(concept);
        }

        return request;
    }

    private static string Label(string[] words, Random random)
    {
        var picked = Enumerable.Range(0, random.Next(2, 5)).Select(_ => words[random.Next(words.Length)]).Distinct();
        var label = string.Join(" ", picked);
        return char.ToUpperInvariant(label[0]) + label[1..];
    }

    /// <summary>What people type: a word without its accents, a word's first letters, or two words.</summary>
    private static string Query(Random random)
    {
        var words = Words.Values.ElementAt(random.Next(Words.Count));
        var word = Lmis.BuildingBlocks.Text.TextFolding.Fold(words[random.Next(words.Length)]);
        return random.Next(3) switch
        {
            0 => word,
            1 => word[..Math.Min(word.Length, 4)],
            _ => word + " " + Lmis.BuildingBlocks.Text.TextFolding.Fold(words[random.Next(words.Length)]),
        };
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
