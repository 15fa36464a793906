namespace Lmis.Statistics.Sdmx;

/// <summary>The SDMX-ML 2.1 namespaces LMIS reads and writes: messages, their common parts, structures and data.</summary>
public static class SdmxMlNamespaces
{
    public const string Message = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message";
    public const string Common = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";
    public const string Structure = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure";
    public const string GenericData = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic";
    public const string StructureSpecificData = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific";
}
