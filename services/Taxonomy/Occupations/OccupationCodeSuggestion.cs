using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Occupations;

/// <summary>
/// A built-in job title the suggester matches against: an ESCO occupation's preferred or alternative title (with
/// the ESCO occupation), or an ISCO-08 unit group's own title (<see cref="Esco"/> null), and the unit group it codes to.
/// </summary>
public sealed record JobTitle(Concept? Esco, Concept UnitGroup, ConceptLabel Label);

/// <summary>
/// An ISCO-08 unit group suggested for a job title: how strongly the title points at it (0 to 1, higher is more
/// certain) and the built-in title that matched best.
/// </summary>
public sealed record OccupationCodeSuggestion(Concept UnitGroup, double Score, JobTitle Matched);
