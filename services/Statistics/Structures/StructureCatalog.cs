using Lmis.BuildingBlocks.Codes;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Structures;

/// <summary>
/// Every structure LMIS publishes, built from the built-in dataflows: each dataflow and its data structure, the
/// codelists its dimensions and attributes take codes from (the fixed lists, the region's member states, ISO 3166-1
/// countries, ISO 4217 currencies, and ISCO-08 and ISIC Rev.4 as the taxonomy has released them), one concept scheme,
/// a category scheme placing each dataflow under labour market or labour migration, and the agency scheme naming
/// the region as the agency that maintains them.
/// </summary>
public sealed class StructureCatalog
{
    public const string ConceptSchemeId = "CS_LMIS";
    public const string CategorySchemeId = "CAT_LMIS";
    public const string LabourMarket = "LABOUR_MARKET";
    public const string LabourMigration = "LABOUR_MIGRATION";

    /// <summary>SDMX names the agencies in a scheme maintained by SDMX itself: SDMX:AGENCIES(1.0).</summary>
    public static ArtefactKey Agencies { get; } = new(StructureType.AgencyScheme, "SDMX", "AGENCIES", "1.0");

    private static readonly string Agency = BuiltInDataflows.Agency;
    private static readonly string Version = BuiltInDataflows.Version;

    private readonly TaxonomyCodes _taxonomy;
    private readonly Dictionary<ArtefactKey, Artefact> _byKey;
    private readonly Dictionary<ArtefactKey, ClassificationList> _classifications;

    public StructureCatalog(Region region, TaxonomyCodes taxonomy)
    {
        _taxonomy = taxonomy;
        _classifications = ClassificationLists().ToDictionary(c => Key(StructureType.Codelist, c.CodelistId));
        var conceptScheme = Key(StructureType.ConceptScheme, ConceptSchemeId);
        var categoryScheme = Key(StructureType.CategoryScheme, CategorySchemeId);
        var structures = BuiltInDataflows.All.Select(s => Definition(s, conceptScheme)).ToArray();
        Artefacts =
        [
            new ItemScheme(Agencies, LocalizedNames.Of("SDMX agency scheme"),
                [new Item(Agency, LocalizedNames.Of(region.Id == Agency ? region.Name : Agency))]),
            .. BuiltInDataflows.All.Select(s => new DataflowDefinition(Key(StructureType.Dataflow, s.Id), LocalizedNames.Of(s.Name), LocalizedNames.Of(s.Description), Key(StructureType.DataStructure, s.Id))),
            new ItemScheme(categoryScheme, LocalizedNames.Of("Topics", "Temas", "Thèmes"), Topics.Select(t => new Item(t.Key, t.Value)).ToArray()),
            .. BuiltInDataflows.All.Select(s => Categorise(s, categoryScheme)),
            .. CodeLists.All.Select(FixedCodelist),
            .. _classifications.Select(c => c.Value.Codelist(c.Key, region)),
            new ItemScheme(conceptScheme, LocalizedNames.Of("Concepts of the labour market statistics", "Conceptos de las estadísticas del mercado laboral", "Concepts des statistiques du marché du travail"),
                Concepts(structures)),
            .. structures,
        ];
        _byKey = Artefacts.ToDictionary(a => a.Key);
    }

    public IReadOnlyList<Artefact> Artefacts { get; }

    public Artefact? Find(ArtefactKey key) => _byKey.GetValueOrDefault(key);

    /// <summary>The artefacts that refer to this one: its parents, in SDMX REST's <c>references</c>.</summary>
    public IEnumerable<Artefact> ReferringTo(ArtefactKey key) => Artefacts.Where(a => a.References.Contains(key));

    /// <summary>The scheme with its items, read from the taxonomy for a classification's codelist (CL_OCU, CL_ECO).</summary>
    public async Task<ItemScheme> WithItemsAsync(ItemScheme scheme, CancellationToken cancellationToken)
    {
        if (scheme.Items is not null || !_classifications.TryGetValue(scheme.Key, out var classification))
        {
            return scheme;
        }

        var concepts = await _taxonomy.ConceptsAsync(classification.Kind, cancellationToken);
        var prefix = classification.Codes.Prefix;
        var codes = concepts.Select(c => new Item(
            prefix + c.Code,
            c.Labels.Where(l => l.Value.Length > 0).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
            c.ParentCode.Length > 0 ? prefix + c.ParentCode : null));
        return scheme with { Items = [.. classification.TotalItems(), .. codes] };
    }

    private static ArtefactKey Key(StructureType type, string id) => new(type, Agency, id, Version);

    private static ItemScheme FixedCodelist(CodeList list) =>
        new(Key(StructureType.Codelist, list.Id), list.Names, list.Codes.Select(c => new Item(c.Id, c.Names)).ToArray());

    private static Categorisation Categorise(DataStructure flow, ArtefactKey scheme)
    {
        // Migration flows (permits, stocks of migrant workers, remittances) under labour migration; the rest under labour market.
        var category = flow == BuiltInDataflows.WorkPermits || flow == BuiltInDataflows.MigrantWorkerStock || flow == BuiltInDataflows.RemittanceInflows
            ? LabourMigration
            : LabourMarket;
        return new Categorisation(Key(StructureType.Categorisation, $"{flow.Id}_{category}"),
            LocalizedNames.Of($"{flow.Name}: {Topics[category]["en"]}"), Key(StructureType.Dataflow, flow.Id), scheme, category);
    }

    private DataStructureDefinition Definition(DataStructure structure, ArtefactKey concepts) => new(
        Key(StructureType.DataStructure, structure.Id), LocalizedNames.Of(structure.Name), LocalizedNames.Of(structure.Description), concepts,
        structure.Dimensions.Select(d => Component(d.Id, d.Codes, mandatory: true)).ToArray(),
        structure.Attributes.Select(a => Component(a.Id, a.Codes, a.Mandatory)).ToArray());

    private Component Component(string id, Representation? codes, bool mandatory) => codes switch
    {
        CodeList list => new Component(id, Key(StructureType.Codelist, list.Id),
            CodeLists.All.FirstOrDefault(l => l.Id == list.Id) is { } whole && whole.Codes.Count == list.Codes.Count ? null : list.Codes.Select(c => c.Id).ToArray(),
            mandatory),
        ClassificationCodes classification => new Component(id, _classifications.Single(c => c.Value.Kind == classification.Kind).Key, null, mandatory),
        _ => new Component(id, null, null, mandatory),
    };

    private static Item[] Concepts(IEnumerable<DataStructureDefinition> structures)
    {
        var namedIn = BuiltInDataflows.All
            .SelectMany(s => s.Dimensions.Select(d => (d.Id, d.Name)).Concat(s.Attributes.Select(a => (a.Id, a.Name))))
            .DistinctBy(c => c.Id)
            .ToDictionary(c => c.Id, c => c.Name, StringComparer.Ordinal);
        return structures.SelectMany(s => s.ConceptIds).Distinct(StringComparer.Ordinal)
            .Select(id => new Item(id, ConceptNames.GetValueOrDefault(id) ?? LocalizedNames.Of(namedIn.GetValueOrDefault(id, id))))
            .ToArray();
    }

    /// <summary>The categories of the category scheme, in the order a Data Explorer lists them.</summary>
    private static readonly OrderedDictionary<string, IReadOnlyDictionary<string, string>> Topics = new(StringComparer.Ordinal)
    {
        [LabourMarket] = LocalizedNames.Of("Labour market", "Mercado laboral", "Marché du travail"),
        [LabourMigration] = LocalizedNames.Of("Labour migration", "Migración laboral", "Migration de main-d'œuvre"),
    };

    /// <summary>The concepts' names: a component's own name differs between dataflows (REF_AREA is the destination country of a permit).</summary>
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> ConceptNames = new(StringComparer.Ordinal)
    {
        ["REF_AREA"] = LocalizedNames.Of("Reference area", "Área de referencia", "Zone de référence"),
        ["COUNTERPART_AREA"] = LocalizedNames.Of("Counterpart area", "Área de contrapartida", "Zone de contrepartie"),
        ["FREQ"] = LocalizedNames.Of("Frequency", "Frecuencia", "Fréquence"),
        ["SEX"] = LocalizedNames.Of("Sex", "Sexo", "Sexe"),
        ["AGE"] = LocalizedNames.Of("Age", "Edad", "Âge"),
        ["OCU"] = LocalizedNames.Of("Occupation (ISCO-08)", "Ocupación (CIUO-08)", "Profession (CITP-08)"),
        ["PERMIT_TYPE"] = LocalizedNames.Of("Permit type", "Tipo de permiso", "Type de permis"),
        ["UNIT_MEASURE"] = LocalizedNames.Of("Unit of measure", "Unidad de medida", "Unité de mesure"),
        ["UNIT_MULT"] = LocalizedNames.Of("Unit multiplier", "Multiplicador de unidad", "Multiplicateur d'unité"),
        ["OBS_STATUS"] = LocalizedNames.Of("Observation status", "Estado de la observación", "Statut de l'observation"),
        ["NOTE"] = LocalizedNames.Of("Note", "Nota", "Note"),
        [DataStructure.TimeDimension] = LocalizedNames.Of("Time period", "Período", "Période"),
        [DataStructure.PrimaryMeasure] = LocalizedNames.Of("Observation value", "Valor de la observación", "Valeur de l'observation"),
    };

    /// <summary>
    /// The classifications' codelists, each written as the built-in dataflows write its codes (prefix and totals);
    /// ISIC Rev.4, which no built-in dataflow uses yet, as ILOSTAT writes it.
    /// </summary>
    private static IEnumerable<ClassificationList> ClassificationLists()
    {
        var used = BuiltInDataflows.All
            .SelectMany(s => s.Dimensions.Select(d => d.Codes).Concat(s.Attributes.Select(a => a.Codes)))
            .OfType<ClassificationCodes>()
            .DistinctBy(c => c.Kind)
            .ToDictionary(c => c.Kind);
        ClassificationCodes Codes(string kind, ClassificationCodes fallback) => used.GetValueOrDefault(kind) ?? fallback;
        yield return new("CL_AREA", LocalizedNames.Of("Member states", "Estados miembros", "États membres"), Codes(ClassificationKinds.MemberState, new(ClassificationKinds.MemberState)));
        yield return new("CL_COUNTRY", LocalizedNames.Of("Countries (ISO 3166-1)", "Países (ISO 3166-1)", "Pays (ISO 3166-1)"), Codes(ClassificationKinds.Country, new(ClassificationKinds.Country)));
        yield return new("CL_CURRENCY", LocalizedNames.Of("Currencies (ISO 4217)", "Monedas (ISO 4217)", "Monnaies (ISO 4217)"), Codes(ClassificationKinds.Currency, new(ClassificationKinds.Currency)));
        yield return new("CL_OCU", LocalizedNames.Of("Occupation (ISCO-08)", "Ocupación (CIUO-08)", "Profession (CITP-08)"), Codes(ClassificationKinds.Isco08, new(ClassificationKinds.Isco08, "OCU_ISCO08_", "TOTAL", "X")));
        yield return new("CL_ECO", LocalizedNames.Of("Economic activity (ISIC Rev.4)", "Actividad económica (CIIU Rev.4)", "Activité économique (CITI Rév.4)"), Codes(ClassificationKinds.Isic4, new(ClassificationKinds.Isic4, "ECO_ISIC4_", "TOTAL", "X")));
    }

    /// <summary>A classification's codelist: which classification, how its codes are written, and where its codes come from.</summary>
    private sealed record ClassificationList(string CodelistId, IReadOnlyDictionary<string, string> Names, ClassificationCodes Codes)
    {
        public string Kind => Codes.Kind;

        public IEnumerable<Item> TotalItems() => Codes.Totals.Select(t => new Item(Codes.Prefix + t, t switch
        {
            "TOTAL" => LocalizedNames.Of("Total", "Total", "Total"),
            "X" => LocalizedNames.Of("Not elsewhere classified", "No clasificado en otra parte", "Non classé ailleurs"),
            _ => LocalizedNames.Of(t),
        }));

        /// <summary>The codelist: built in for member states, countries and currencies; the taxonomy's codes are read when shown.</summary>
        public ItemScheme Codelist(ArtefactKey key, Region region) => new(key, Names, Kind switch
        {
            ClassificationKinds.MemberState => [.. TotalItems(), .. region.MemberStates.Select(m => new Item(Codes.Prefix + m.Alpha3, LocalizedNames.Of(m.Name)))],
            ClassificationKinds.Country => [.. TotalItems(), .. Countries.All.Select(c => new Item(Codes.Prefix + c.Alpha3, LocalizedNames.Of(c.Name)))],
            ClassificationKinds.Currency => [.. TotalItems(), .. Currencies.All.Where(c => c.IsMoney).Select(c => new Item(Codes.Prefix + c.Alpha3, LocalizedNames.Of(c.Name)))],
            _ => null,
        });
    }
}
