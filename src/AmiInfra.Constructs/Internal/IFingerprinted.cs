namespace AmiInfra.Constructs;

/// <summary>What identifies a component's content, for the version of the recipes that use it.</summary>
internal interface IFingerprinted
{
    /// <summary>The fingerprint: no tokens.</summary>
    string Fingerprint { get; }
}
