using AmiInfra.Declaration;

namespace AmiInfra.Ops.Inventory;

/// <summary>The tag keys the distribution puts on the factory's AMIs: the one place the ops tool reads them from the declaration project.</summary>
public static class FactoryTags
{
    /// <summary>The factory name tag.</summary>
    public const string Factory = AmiTagKeys.Factory;

    /// <summary>The image name tag.</summary>
    public const string Image = AmiTagKeys.Image;
}
