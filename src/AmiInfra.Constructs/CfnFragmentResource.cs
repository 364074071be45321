using Amazon.CDK;

namespace AmiInfra.Constructs;

/// <summary>One resource of a <see cref="CfnFragment"/>, with the resource attributes CloudFormation takes besides its properties.</summary>
/// <param name="LogicalId">Its logical id in the stack's template: 1 to 255 letters and digits.</param>
/// <param name="Definition">Its type, properties and acknowledged findings.</param>
public sealed record CfnFragmentResource(string LogicalId, CfnDefinition Definition)
{
    /// <summary>Logical ids of resources of the same fragment that CloudFormation creates first (DependsOn). Default: none.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>The name of a condition of the fragment (see the fragment's conditions) that decides whether the resource is created. Default: none (always created).</summary>
    public string? Condition { get; init; }

    /// <summary>What CloudFormation does with the resource when it leaves the stack. Default: none (CloudFormation's default, Delete for most types).</summary>
    public CfnDeletionPolicy? DeletionPolicy { get; init; }

    /// <summary>What CloudFormation does with the old resource when an update replaces it. Default: none (CloudFormation's default, Delete).</summary>
    public CfnDeletionPolicy? UpdateReplacePolicy { get; init; }
}

/// <summary>
/// A reference to a resource of the same <see cref="CfnFragment"/>, as a whole property value: <c>{"Ref": id}</c>
/// (<see cref="CfnFragment.Ref"/>) or <c>{"Fn::GetAtt": [id, attribute]}</c> (<see cref="CfnFragment.GetAtt"/>).
/// A typed value rather than text, so it can never end up inside a longer string.
/// </summary>
public sealed record CfnFragmentReference
{
    internal CfnFragmentReference(string logicalId, string? attribute)
    {
        LogicalId = logicalId;
        Attribute = attribute;
    }

    /// <summary>The logical id of the resource referred to.</summary>
    public string LogicalId { get; }

    /// <summary>The attribute (Fn::GetAtt), or null for Ref.</summary>
    public string? Attribute { get; }

    /// <summary>The intrinsic function the reference stands for.</summary>
    internal Dictionary<string, object> Render() => Attribute is null
        ? new Dictionary<string, object> { ["Ref"] = LogicalId }
        : new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { LogicalId, Attribute } };

    /// <inheritdoc />
    public override string ToString() => Attribute is null ? $"Ref({LogicalId})" : $"GetAtt({LogicalId}.{Attribute})";
}
